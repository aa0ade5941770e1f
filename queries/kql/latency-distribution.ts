import { z } from 'zod';
import { subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Latency percentiles per app role. */
export const latencyDistribution = defineKqlQuery({
  id: 'latency-distribution',
  title: 'Latency distribution per app role',
  description: 'P50, P75, P90, P95, P99 and maximum request duration (ms) per app role.',
  examples: [
    'what is our P99 latency?',
    'latency percentiles for the last hour',
    'which service is slowest?',
  ],
  params: z.object({ ...timeRange({ min: '5m', max: '31d', default: '1h' }), ...subjectFilters() }),
  columns: [
    { name: 'AppRoleName', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'P50', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P75', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P90', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P95', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P99', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'MaxMs', type: 'real', unit: 'ms', decimals: 0 },
  ],
  // The latency SLO that slow-requests uses by default.
  headline: {
    column: 'P95',
    label: 'Slowest P95 latency',
    by: 'AppRoleName',
    threshold: 2000,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
