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
 * questions in words and the buttons that re-run a question.
 */
export const rateLimitPolicy = z
  .object({
    kql: limitFor({ burst: 5, perMinute: 10 }, { burst: 20, perMinute: 60 }),
    gpu: limitFor({ burst: 5, perMinute: 10 }, { burst: 20, perMinute: 60 }),
    ask: limitFor({ burst: 5, perMinute: 20 }, { burst: 30, perMinute: 120 }),
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
