import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { buildGpuQuery, type VettedGpuQuery } from '../gpu/define-gpu-query.ts';
import type { GpuQuerySpec } from '../gpu/query-spec.ts';

export const seriesLabels = z.record(z.string(), z.string());

/** One series' value at one instant. */
export const instantSample = z.object({ labels: seriesLabels, at: z.number(), value: z.number() });
export type InstantSample = z.infer<typeof instantSample>;

/** One series over a range: `[epoch ms, value]` points in time order. */
export const rangeSeries = z.object({
  labels: seriesLabels,
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type RangeSeries = z.infer<typeof rangeSeries>;

export interface QueryOptions {
  /** Evaluation instant (instant queries) or range end (range queries); default now. */
  at?: number;
  signal?: AbortSignal;
}

/**
 * Runs structured GPU query specs. Prometheus (self-hosted or Azure Managed) in production, the
 * local sample store in local mode and tests; both answer the same typed shapes.
 */
export interface MetricsBackend {
  readonly id: string;
  instant(spec: GpuQuerySpec, opts?: QueryOptions): Promise<InstantSample[]>;
  /** Uses `spec.range` for look-back and step; the range ends at `opts.at`. */
  range(spec: GpuQuerySpec, opts?: QueryOptions): Promise<RangeSeries[]>;
}

/** A backend failure; `retryable` says whether asking again later may help. */
export class MetricsBackendError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

async function runAll<T>(
  specs: Record<string, GpuQuerySpec>,
  run: (spec: GpuQuerySpec) => Promise<T>,
): Promise<Record<string, T>> {
  const entries = await Promise.all(Object.entries(specs).map(async ([k, s]) => [k, await run(s)] as const));
  return Object.fromEntries(entries);
}

/** Validates parameters and runs every part of an instant vetted query. */
export function runGpuInstant<P extends z.ZodType>(
  backend: MetricsBackend,
  query: VettedGpuQuery<P>,
  params: unknown,
  opts: QueryOptions = {},
): Promise<Record<string, InstantSample[]>> {
  return runAll(buildGpuQuery(query, params), (s) => backend.instant(s, opts));
}

/** Validates parameters and runs every part of a range vetted query. */
export function runGpuRange<P extends z.ZodType>(
  backend: MetricsBackend,
  query: VettedGpuQuery<P>,
  params: unknown,
  opts: QueryOptions = {},
): Promise<Record<string, RangeSeries[]>> {
  return runAll(buildGpuQuery(query, params), (s) => backend.range(s, opts));
}

/** The `[start, end, step]` of a range spec ending at `end`. */
export function rangeWindow(spec: GpuQuerySpec, end: number): { start: number; end: number; stepMs: number } {
  if (!spec.range) throw new MetricsBackendError('RANGE_REQUIRED', 'a range query needs spec.range', false);
  const stepMs = spec.range.stepMs;
  // Align to the step so consecutive renders of the same chart show the same points.
  const alignedEnd = Math.floor(end / stepMs) * stepMs;
  return { start: alignedEnd - spec.range.rangeMs, end: alignedEnd, stepMs };
}
