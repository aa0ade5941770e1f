import { z } from 'zod';
import { formatDuration, parseDuration } from '../core/duration.ts';
import { formatDatetime, parseDatetimeText } from './engine/literals.ts';
import type { KqlType } from './engine/types.ts';

/**
 * Shared, bounded parameter schemas of the vetted KQL catalog. Each accepts what a person types
 * in chat (text) as well as typed values, and records the KQL type it binds to, so a test can
 * check every `.kql` file's `declare query_parameters(...)` against its zod schema.
 */

/** The KQL type each shared schema binds to (looked up by the catalog test and the backend). */
export const kqlParamTypes = z.registry<ParamMeta>();

/** What the catalog knows of one shared parameter schema; `maxMs` is a timespan's upper bound. */
export interface ParamMeta {
  kql: KqlType;
  form: string;
  maxMs?: number;
}

function tag<S extends z.ZodType>(schema: S, kql: KqlType, form: string, maxMs?: number): S {
  kqlParamTypes.add(schema, maxMs === undefined ? { kql, form } : { kql, form, maxMs });
  return schema;
}

/** The KQL type and allowed form of one parameter schema, or undefined for untagged schemas. */
export function describeParam(schema: z.ZodType): ParamMeta | undefined {
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
  return tag(schema, 'timespan', form, max);
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

/**
 * A subject filter: one name, or empty (the default) for all of them. `*` is read as empty, as
 * the older `deployment = "*"` meant every deployment. The binder renders the value as a string
 * literal like every other; the pattern only keeps what a person can type to names that exist.
 */
function subjectFilter(what: string, example: string, pattern: RegExp, max: number) {
  const form = `a ${what} like ${example} (≤ ${max} characters), or nothing for all`;
  const schema = z
    .string()
    .trim()
    .default('')
    .transform((v) => (v === '*' ? '' : v))
    .refine((v) => v === '' || (v.length <= max && pattern.test(v)), { message: `expected ${form}` });
  return tag(schema, 'string', form);
}

/** Filter on one Azure OpenAI deployment (`Properties["deployment"]`); empty for all. */
export const deploymentFilter = () => subjectFilter('deployment name', 'gpt-4o', NAME, 64);

/** Filter on one model version (`Properties["model.version"]`, e.g. `2024-08-06`); empty for all. */
export const modelVersionFilter = () => subjectFilter('model version', '2024-08-06', NAME, 64);

/** Filter on one cloud role (AppRoleName); empty for all. */
export const appRoleFilter = () => subjectFilter('app role name', 'chat-api', NAME, 64);

/** Filter on one team (`Properties["team"]`); empty for all. */
export const teamFilter = () => subjectFilter('team name', 'ml-platform', NAME, 64);

/** Operation names are a verb and a route (`POST /chat/completions`). */
const OPERATION = /^[A-Za-z0-9][A-Za-z0-9 ./_{}:-]*$/;

/** Filter on one operation (OperationName, `POST /chat`); empty for all. */
export const operationFilter = () => subjectFilter('operation name', '"POST /chat"', OPERATION, 128);

/**
 * One end of an absolute time range, bound as a `datetime(...)` literal: ISO 8601 text with a
 * zone (`2026-11-27T10:00:00Z`), a date (`2026-11-27`, midnight UTC), epoch ms or a Date. Absent
 * means the relative window applies. The output is ISO text, so a card repeats it as it ran.
 */
export function datetimeBound(which: 'start' | 'end') {
  const form = `a date and time in ISO 8601 with its zone, like 2026-11-27T10:00:00Z (the ${which} of the range)`;
  const schema = z
    .union([z.string(), z.number(), z.date()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const ms =
        v instanceof Date
          ? v.getTime()
          : typeof v === 'number'
            ? v
            : /^\d{4}-\d{2}-\d{2}(?:$|[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$)/i.test(
                  v.trim(),
                )
              ? parseDatetimeText(v)
              : null;
      if (ms === null || !Number.isFinite(ms)) {
        ctx.addIssue({ code: 'custom', message: `expected ${form}` });
        return z.NEVER;
      }
      return formatDatetime(ms);
    });
  return tag(schema, 'datetime', form);
}

/**
 * The time parameters every ranged query declares first: a relative `window` (look back from
 * now) and an absolute `start`/`end` that replace it when given. `maxSpan` bounds both the window
 * and the absolute range; the workspace retention bounds how far back `start` may reach (checked
 * by the query policy, which knows the clock).
 */
export function timeRange(opts: { min: string; max: string; default: string }) {
  return {
    window: timespan(opts),
    start: datetimeBound('start'),
    end: datetimeBound('end'),
  };
}

/** Longest span of a ranged query's parameters, for {@link checkRange}. */
export function maxSpanOf(schema: z.ZodObject): number | undefined {
  const shape = schema.shape as Record<string, z.ZodType>;
  const window = shape.window ?? shape.recent;
  return window ? describeParam(window)?.maxMs : undefined;
}

/**
 * Why an absolute range cannot run, or undefined: the end must follow the start, and the span
 * (to `now` when no end is given) must fit the query's longest window.
 */
export function checkRange(
  range: { start?: string; end?: string },
  maxSpanMs: number,
  now: number,
): string | undefined {
  if (range.start === undefined) return range.end === undefined ? undefined : 'an end needs a start';
  const start = Date.parse(range.start);
  const end = range.end === undefined ? now : Date.parse(range.end);
  if (end <= start) return `the range ends (${formatDatetime(end)}) before it starts (${range.start})`;
  if (end - start > maxSpanMs)
    return `the range spans ${formatDuration(end - start)}, more than this query's ${formatDuration(maxSpanMs)}`;
  return undefined;
}

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

/**
 * The subject filters of a query over AppRequests, in the order its `.kql` declares them; each
 * empty by default (all). Pass the names a query's data has, when it is not all five.
 */
export function subjectFilters<K extends SubjectFilter = SubjectFilter>(
  names: readonly K[] = SUBJECT_FILTERS as unknown as K[],
) {
  const all = {
    deployment: deploymentFilter(),
    model_version: modelVersionFilter(),
    app_role: appRoleFilter(),
    operation: operationFilter(),
    team: teamFilter(),
  };
  return Object.fromEntries(names.map((n) => [n, all[n]])) as Pick<typeof all, K>;
}

/** Names of the subject filter parameters, as the `.kql` files declare them. */
export const SUBJECT_FILTERS = ['deployment', 'model_version', 'app_role', 'operation', 'team'] as const;
export type SubjectFilter = (typeof SUBJECT_FILTERS)[number];
