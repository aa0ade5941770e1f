import { z } from 'zod';
import { latencyMs, subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Requests slower than the latency SLO per 15 min and app role. */
export const slowRequests = defineKqlQuery({
  id: 'slow-requests',
  title: 'Requests slower than the SLO',
  description:
    'Count, average, P95 and P99 of the requests slower than a latency SLO, per time bucket and app role.',
  examples: [
    'which requests break the latency SLO?',
    'slow requests over 3 s today',
    'how many requests were slower than 2 seconds per role?',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '14d', default: '24h' }),
    slo_ms: latencyMs(2000),
    bucket: timespan({ min: '1m', max: '1d', default: '15m' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'AppRoleName', type: 'string' },
    { name: 'SlowCount', type: 'long', unit: 'req' },
    { name: 'AvgMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P95Ms', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P99Ms', type: 'real', unit: 'ms', decimals: 0 },
  ],
  headline: {
    column: 'P95Ms',
    label: 'P95 latency of slow requests',
    by: 'AppRoleName',
    threshold: { param: 'slo_ms' },
    worse: 'higher',
  },
  show: { kind: 'line', x: 'TimeGenerated', y: ['SlowCount'], series: 'AppRoleName' },
});
