import { z } from 'zod';

/** One token bucket: `burst` requests at once, refilled at `perMinute`. */
export const bucketPolicy = z
  .object({
    burst: z.number().int().min(1).max(100_000),
    perMinute: z.number().positive().max(1_000_000),
  })
  .strict();
export type BucketPolicy = z.infer<typeof bucketPolicy>;

const limitFor = (perUser: BucketPolicy, global: BucketPolicy) =>
  z
    .object({
      /** Each chat user's own bucket. */
      perUser: bucketPolicy.default(perUser),
      /** One bucket shared by everybody on this replica: bounds the bot's own load. */
      global: bucketPolicy.default(global),
    })
    .strict()
    .prefault({});

/**
 * Rate limits of the commands that cost work, per user and across users. `ask` covers `/ask`,
 * questions in words and the buttons that re-run a question. `mcp` counts every tool call of an
 * agent (MCP client, per principal `mcp:<name>`), on top of the `kql` and `gpu` limits its queries
 * share with chat; `propose` counts an agent's remediation proposals, each of which posts a card.
 */
export const rateLimitPolicy = z
  .object({
    kql: limitFor({ burst: 5, perMinute: 10 }, { burst: 20, perMinute: 60 }),
    gpu: limitFor({ burst: 5, perMinute: 10 }, { burst: 20, perMinute: 60 }),
    ask: limitFor({ burst: 5, perMinute: 20 }, { burst: 30, perMinute: 120 }),
    mcp: limitFor({ burst: 20, perMinute: 60 }, { burst: 60, perMinute: 600 }),
    propose: limitFor({ burst: 3, perMinute: 2 }, { burst: 10, perMinute: 10 }),
  })
  .strict()
  .prefault({});
export type RateLimitPolicy = z.infer<typeof rateLimitPolicy>;

/** What a rate limit is counted for. */
export type LimitedWork = keyof RateLimitPolicy;

/** The limits used when the policy file has no `rateLimits` section. */
export function defaultRateLimits(): RateLimitPolicy {
  return rateLimitPolicy.parse(undefined);
}
