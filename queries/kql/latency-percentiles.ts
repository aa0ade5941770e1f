import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** P50/P95/P99 latency per deployment over time: the engineering view's latency chart. */
export const latencyPercentiles = defineKqlQuery({
  id: 'latency-percentiles',
  title: 'Latency percentiles per deployment over time',
  description: 'P50, P95 and P99 request latency per model deployment and time bucket, with requests served.',
  examples: ['p95 latency per deployment', 'p99 latency over the last hour', 'latency percentiles trend'],
  params: z.object({
    ...timeRange({ min: '5m', max: '7d', default: '1h' }),
    bucket: timespan({ min: '1m', max: '7d', default: '5m' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'P50', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P95', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P99', type: 'real', unit: 'ms', decimals: 0 },
  ],
  headline: { column: 'P95', label: 'P95 latency', by: 'Deployment', threshold: 2000, worse: 'higher' },
  time: 'TimeGenerated',
  // A building block of the engineering view (/eng): questions keep going to the queries people know.
  routable: false,
  show: { kind: 'line', x: 'TimeGenerated', y: ['P95'], series: 'Deployment', unit: 'ms' },
});
