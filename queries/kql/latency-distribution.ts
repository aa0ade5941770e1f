import { z } from 'zod';
import { timespan } from '../params.ts';
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
  params: z.object({ window: timespan({ min: '5m', max: '7d', default: '1h' }) }),
  columns: [
    { name: 'AppRoleName', type: 'string' },
    { name: 'Requests', type: 'long' },
    { name: 'P50', type: 'real' },
    { name: 'P75', type: 'real' },
    { name: 'P90', type: 'real' },
    { name: 'P95', type: 'real' },
    { name: 'P99', type: 'real' },
    { name: 'MaxMs', type: 'real' },
  ],
  show: { kind: 'table' },
});
