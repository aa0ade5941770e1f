import { z } from 'zod';
import { formatDuration, parseDuration } from '../core/duration.ts';
import type { KqlType } from './engine/types.ts';

/**
 * Shared, bounded parameter schemas of the vetted KQL catalog. Each accepts what a person types
 * in chat (text) as well as typed values, and records the KQL type it binds to, so a test can
 * check every `.kql` file's `declare query_parameters(...)` against its zod schema.
 */

/** The KQL type each shared schema binds to (looked up by the catalog test and the backend). */
export const kqlParamTypes = z.registry<{ kql: KqlType; form: string }>();

function tag<S extends z.ZodType>(schema: S, kql: KqlType, form: string): S {
  kqlParamTypes.add(schema, { kql, form });
  return schema;
}

/** The KQL type and allowed form of one parameter schema, or undefined for untagged schemas. */
export function describeParam(schema: z.ZodType): { kql: KqlType; form: string } | undefined {
  return kqlParamTypes.get(schema);
}

/** A KQL timespan typed like `15m`, `1h` or `7d`, bounded, as milliseconds. */
export function timespan(opts: { min: string; max: string; default: string }) {
  const min = parseDuration(opts.min)!;
  const max = parseDuration(opts.max)!;
  const form = `a duration between ${formatDuration(min)} and ${formatDuration(max)}, like ${opts.default}`;
  const schema = z
    .union([z.string(), z.number()])
    .default(opts.default)
    .transform((v, ctx) => {
      const ms = typeof v === 'number' ? v : parseDuration(v);
      if (ms === undefined || !Number.isInteger(ms) || ms < min || ms > max) {
        ctx.addIssue({ code: 'custom', message: `expected ${form}` });
        return z.NEVER;
      }
      return ms;
    });
  return tag(schema, 'timespan', form);
}

/** A bounded real number (thresholds, ratios, percentages). */
export function real(opts: { min: number; max: number; default: number }) {
  const form = `a number between ${opts.min} and ${opts.max}`;
  const schema = z.coerce
    .number({ message: `expected ${form}` })
    .min(opts.min, `expected ${form}`)
    .max(opts.max, `expected ${form}`)
    .default(opts.default);
  return tag(schema, 'real', form);
}

/** A bounded whole number (row limits, counts). */
export function long(opts: { min: number; max: number; default: number }) {
  const form = `a whole number between ${opts.min} and ${opts.max}`;
  const schema = z.coerce
    .number({ message: `expected ${form}` })
    .int(`expected ${form}`)
    .min(opts.min, `expected ${form}`)
    .max(opts.max, `expected ${form}`)
    .default(opts.default);
  return tag(schema, 'long', form);
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function name(what: string, example: string, def: string, allowAll: boolean) {
  const form = `${allowAll ? '"*" (all) or ' : ''}a ${what} of letters, digits, ".", "_" and "-" (≤ 64), like ${example}`;
  const schema = z
    .string()
    .trim()
    .default(def)
    .refine((v) => (allowAll && v === '*') || NAME.test(v), { message: `expected ${form}` });
  return tag(schema, 'string', form);
}

/** An Azure OpenAI deployment name, or `*` for every deployment. */
export const deploymentName = (def = '*') => name('deployment name', 'gpt-4o', def, true);

/** An Application Insights cloud role name (AppRoleName), or `*` for every role. */
export const appRole = (def = '*') => name('app role name', 'chat-api', def, true);

/** A percentile between 1 and 100. */
export const percentile = (def = 95) => real({ min: 1, max: 100, default: def });

/** A latency threshold in milliseconds (10 ms … 10 min). */
export const latencyMs = (def: number) => real({ min: 10, max: 600_000, default: def });

/** One deployment's token prices, in USD per 1,000 tokens. */
export const tokenPrice = z
  .object({
    inputPer1k: z.number().min(0).max(1000),
    outputPer1k: z.number().min(0).max(1000),
  })
  .strict();

/**
 * Token prices per deployment (the policy file's `pricing`), bound to a query as a `dynamic` bag.
 * Keys are deployment names; values only finite numbers, so the binder can render it safely.
 */
export function priceTable(def: Record<string, z.input<typeof tokenPrice>>) {
  const form = 'a price table from the policy file (pricing: <deployment>: {inputPer1k, outputPer1k})';
  const schema = z
    .record(
      z.string().regex(NAME, 'deployment names are letters, digits, ".", "_" and "-" (≤ 64)'),
      tokenPrice,
    )
    .refine((r) => Object.keys(r).length <= 100, 'at most 100 deployments')
    .default(def);
  return tag(schema, 'dynamic', form);
}
