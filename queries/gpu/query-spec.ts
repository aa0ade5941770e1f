import { z } from 'zod';
import { DERIVED, metricName } from './metric-names.ts';

/** A Prometheus label name; anything else is rejected before it could reach query text. */
export const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'not a label name');

export const labelMatcher = z.object({
  label: labelName,
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string().max(256),
});
export type LabelMatcher = z.infer<typeof labelMatcher>;

const windowMs = z
  .number()
  .int()
  .min(1_000)
  .max(7 * 86_400_000);

/**
 * A vetted GPU query as data: which metric, which series, how to fold them. Only
 * {@link compilePromQL} turns it into PromQL and only the local backend evaluates it, so a
 * user's words can choose parameter values but never write query text.
 */
export const gpuQuerySpec = z
  .object({
    metric: metricName,
    matchers: z.array(labelMatcher).max(8).default([]),
    /**
     * The node to select. `dcgm` matches the DCGM host label under both spellings (`Hostname`,
     * `hostname`); `node-exporter` matches the `node` label of node-exporter series.
     */
    node: z
      .object({ value: z.string().min(1).max(253), source: z.enum(['dcgm', 'node-exporter']) })
      .optional(),
    /** Per-series function over a trailing window, applied before aggregation. */
    over: z
      .object({
        fn: z.enum(['avg_over_time', 'max_over_time', 'min_over_time', 'rate', 'increase']),
        windowMs,
      })
      .optional(),
    aggregate: z
      .object({ op: z.enum(['avg', 'max', 'min', 'sum', 'count']), by: z.array(labelName).max(6) })
      .optional(),
    /** Keep the k largest or smallest series after aggregation. */
    select: z.object({ op: z.enum(['topk', 'bottomk']), k: z.number().int().min(1).max(50) }).optional(),
    /** Keep only series whose value passes the comparison (PromQL filter semantics). */
    compare: z.object({ op: z.enum(['>', '<', '>=', '<=']), value: z.number().finite() }).optional(),
    /** Present for range queries: look-back and resolution. */
    range: z.object({ rangeMs: windowMs, stepMs: z.number().int().min(1_000).max(86_400_000) }).optional(),
  })
  .refine((s) => !(s.metric === DERIVED.fbUsedPct && s.over), {
    message: 'a derived percentage cannot take an over-time function',
    path: ['over'],
  });
export type GpuQuerySpec = z.infer<typeof gpuQuerySpec>;
export type GpuQuerySpecInput = z.input<typeof gpuQuerySpec>;
