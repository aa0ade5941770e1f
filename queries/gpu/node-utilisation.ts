import { z } from 'zod';
import { defineGpuQuery } from './define-gpu-query.ts';
import { DCGM, HOST_LABEL } from './metric-names.ts';

/**
 * Mean GPU utilisation per node over a range: the engineering view's heatmap, one row per node.
 * `avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL)` as a range, at a step the caller picks (one column each).
 */
export const gpuNodeUtilisation = defineGpuQuery({
  id: 'gpu-node-utilisation',
  title: 'GPU utilisation per node over time',
  description: 'Mean DCGM GPU utilisation of each node’s GPUs per step: the engineering view’s heatmap.',
  examples: ['gpu utilisation heatmap', 'which nodes are busy?', 'gpu use per node over the last hour'],
  kind: 'range',
  params: z.object({
    rangeMs: z
      .number()
      .int()
      .min(5 * 60_000)
      .max(24 * 3_600_000),
    stepMs: z.number().int().min(30_000).max(3_600_000),
  }),
  build: ({ rangeMs, stepMs }) => ({
    util: {
      metric: DCGM.util,
      aggregate: { op: 'avg', by: [HOST_LABEL] },
      range: { rangeMs, stepMs },
    },
  }),
});
