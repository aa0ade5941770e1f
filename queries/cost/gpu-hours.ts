import { z } from 'zod';
import type { MetricsBackend } from '../backends/metrics-backend.ts';
import { runGpuRange } from '../backends/metrics-backend.ts';
import { defineGpuQuery } from '../gpu/define-gpu-query.ts';
import { DCGM } from '../gpu/metric-names.ts';

const DAY = 86_400_000;
/** The longest range one vetted GPU range query may span; longer ranges are asked in pieces. */
const CHUNK_MS = 7 * DAY;
/** Points per series per piece at most (Prometheus refuses more than 11,000). */
const MAX_POINTS = 1_000;

/**
 * GPUs held by pods, counted per namespace and GPU model at each step: a GPU whose DCGM series
 * carries a pod label is allocated to that pod's namespace (the exporter's Kubernetes pod mapping).
 * `count by (namespace, modelName) (DCGM_FI_DEV_GPU_UTIL{pod!=""})`, as a range.
 */
export const gpuAllocation = defineGpuQuery({
  id: 'gpu-allocation',
  title: 'GPUs allocated per namespace and GPU model',
  description: 'How many GPUs pods of each namespace hold, per GPU model, over time (DCGM pod labels).',
  examples: ['gpu hours per namespace', 'who holds the GPUs?', 'gpu allocation by team this week'],
  kind: 'range',
  params: z.object({
    rangeMs: z.number().int().min(60_000).max(CHUNK_MS),
    stepMs: z.number().int().min(15_000).max(DAY),
  }),
  build: ({ rangeMs, stepMs }) => ({
    allocated: {
      metric: DCGM.util,
      matchers: [{ label: 'pod', op: '!=', value: '' }],
      aggregate: { op: 'count', by: ['namespace', 'modelName'] },
      range: { rangeMs, stepMs },
    },
  }),
});

/** GPU-hours one namespace's pods held on one GPU model. */
export interface GpuHoursRow {
  namespace: string;
  model: string;
  gpuHours: number;
}

/** GPU-hours per namespace and model over a range, and the part of the range the metrics covered. */
export interface GpuHours {
  rows: GpuHoursRow[];
  /** Earliest and latest step with data; null when there was none. */
  coveredFrom: number | null;
  coveredTo: number | null;
}

/** The step of a piece: a whole minute, at most {@link MAX_POINTS} points. */
function stepOf(rangeMs: number): number {
  return Math.max(60_000, Math.ceil(rangeMs / MAX_POINTS / 60_000) * 60_000);
}

/**
 * GPU-hours per namespace and GPU model between `startMs` and `endMs`: each step's GPU count
 * times the step. Ranges over seven days are asked in seven-day pieces. Steps without data count
 * nothing, and the covered span says how much of the range the metrics held (local mode keeps 12
 * hours; Prometheus keeps what its retention says).
 */
export async function gpuHoursBetween(
  backend: MetricsBackend,
  startMs: number,
  endMs: number,
): Promise<GpuHours> {
  const totals = new Map<string, GpuHoursRow>();
  let coveredFrom: number | null = null;
  let coveredTo: number | null = null;
  for (let pieceEnd = endMs; pieceEnd > startMs; pieceEnd -= CHUNK_MS) {
    const rangeMs = Math.max(60_000, Math.min(CHUNK_MS, pieceEnd - startMs));
    const stepMs = stepOf(rangeMs);
    const { allocated } = await runGpuRange(backend, gpuAllocation, { rangeMs, stepMs }, { at: pieceEnd });
    for (const series of allocated ?? []) {
      const namespace = series.labels.namespace ?? '';
      const model = series.labels.modelName ?? '';
      const key = `${namespace}\u0000${model}`;
      const row = totals.get(key) ?? { namespace, model, gpuHours: 0 };
      for (const [t, count] of series.points) {
        // The range ends on a step boundary at or before pieceEnd; its first point may reach back before startMs.
        if (t <= startMs || t > endMs) continue;
        row.gpuHours += (count * stepMs) / 3_600_000;
        coveredFrom = coveredFrom === null ? t - stepMs : Math.min(coveredFrom, t - stepMs);
        coveredTo = coveredTo === null ? t : Math.max(coveredTo, t);
      }
      totals.set(key, row);
    }
  }
  const rows = [...totals.values()]
    .filter((r) => r.gpuHours > 0)
    .map((r) => ({ ...r, gpuHours: Math.round(r.gpuHours * 1000) / 1000 }))
    .sort((a, b) => b.gpuHours - a.gpuHours);
  return { rows, coveredFrom, coveredTo };
}
