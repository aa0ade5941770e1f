import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Requests/min, average latency and 5xx rate per bucket. */
export const trafficLatencyErrors = defineKqlQuery({
  id: 'traffic-latency-errors',
  title: 'Traffic, latency and 5xx errors',
  description:
    'Requests per minute, average latency and 5xx error rate per time bucket, to set beside GPU use.',
  examples: [
    'how much traffic are we serving?',
    'requests per minute and errors in the last 6 hours',
    'did latency rise with load?',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '14d', default: '6h' }),
    bucket: timespan({ min: '1m', max: '1d', default: '5m' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'AvgMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'Errors5xx', type: 'long', unit: 'req' },
    { name: 'RequestsPerMin', type: 'real', unit: 'req/min', decimals: 1 },
    { name: 'ErrorRate5xx', type: 'real', unit: '%', decimals: 2 },
  ],
  // 1 % of requests failing with 5xx spends a 99 % availability budget as fast as it accrues.
  headline: { column: 'ErrorRate5xx', label: '5xx error rate', threshold: 1, worse: 'higher' },
  show: { kind: 'line', x: 'TimeGenerated', y: ['RequestsPerMin', 'ErrorRate5xx'] },
});
