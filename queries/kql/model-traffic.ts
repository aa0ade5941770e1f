import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Requests/s and tokens/s per deployment over time: the engineering view's throughput chart. */
export const modelTraffic = defineKqlQuery({
  id: 'model-traffic',
  title: 'Requests and tokens per second per model',
  description:
    'Requests per second and tokens (prompt + completion) per second per model deployment and time bucket.',
  examples: ['tokens per second per model', 'requests per second by deployment', 'throughput per model'],
  params: z.object({
    ...timeRange({ min: '5m', max: '7d', default: '1h' }),
    bucket: timespan({ min: '1m', max: '7d', default: '5m' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'Tokens', type: 'long', unit: 'tokens' },
    { name: 'RequestsPerSec', type: 'real', unit: 'req/s', decimals: 2 },
    { name: 'TokensPerSec', type: 'real', unit: 'tokens/s', decimals: 1 },
  ],
  headline: {
    column: 'RequestsPerSec',
    label: 'Requests per second',
    by: 'Deployment',
    threshold: 1000,
    worse: 'higher',
  },
  time: 'TimeGenerated',
  // A building block of the engineering view (/eng): questions keep going to the queries people know.
  routable: false,
  show: { kind: 'line', x: 'TimeGenerated', y: ['RequestsPerSec'], series: 'Deployment', unit: 'req/s' },
});
