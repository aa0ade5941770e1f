import { z } from 'zod';
import { durationMs } from '../../core/duration.ts';

const MIB = 1024 * 1024;

/**
 * The policy file's `charts`: how much chart rendering a replica takes on. Rendering a PNG costs
 * tens to hundreds of milliseconds of CPU in a worker thread; beyond these bounds a chart fetch
 * gets 503 with Retry-After at once, so a crowd fetching charts cannot starve intake and health.
 * The defaults suit a 2-core replica.
 */
export const chartPolicy = z
  .object({
    /** Worker threads rendering PNGs (GPU and query charts); each one renders one chart at a time. */
    threads: z.number().int().min(1).max(16).default(1),
    /** Renders under way at once; more than `threads` only queue inside the thread pool. */
    concurrency: z.number().int().min(1).max(64).default(2),
    /** Renders waiting for a slot at most; a fetch beyond them is refused at once. */
    maxWaiting: z.number().int().min(0).max(1_000).default(8),
    /** A render that cannot start within this is refused (its Retry-After) rather than started late. */
    maxWait: durationMs({ min: 1_000, max: 60_000 }).default(5_000),
    /** Rendered GPU chart PNGs kept in memory per replica, by count and by size. */
    cache: z
      .object({
        entries: z.number().int().min(1).max(100_000).default(500),
        megabytes: z.number().int().min(1).max(4_096).default(32),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});
export type ChartPolicy = z.infer<typeof chartPolicy>;

/** The bounds used when the policy file has no `charts` section. */
export function defaultChartPolicy(): ChartPolicy {
  return chartPolicy.parse(undefined);
}

/** The PNG cache's byte bound of a policy. */
export const chartCacheBytes = (policy: ChartPolicy) => policy.cache.megabytes * MIB;
