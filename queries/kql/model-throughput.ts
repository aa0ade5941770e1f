import { z } from 'zod';
import { deploymentFilter, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Tokens per second per model, from the application's custom metric. */
export const modelThroughput = defineKqlQuery({
  id: 'model-throughput',
  title: 'Generation speed per model',
  description:
    'Generation speed per deployment (the application’s tokens_per_second metric: completion output over the call’s duration), per time bucket, with the slowest call.',
  examples: ['tokens per second per model', 'is gpt-4o generating slower?', 'generation speed of the models'],
  params: z.object({
    ...timeRange({ min: '5m', max: '3d', default: '1h' }),
    bucket: timespan({ min: '1m', max: '1d', default: '5m' }),
    deployment: deploymentFilter(),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'TokensPerSecond', type: 'real', unit: 'tokens/s', decimals: 1 },
    { name: 'Slowest', type: 'real', unit: 'tokens/s', decimals: 1 },
    { name: 'Calls', type: 'long', unit: 'req' },
  ],
  // The simulated platform's slowest model normally stays above this; a slower one is news.
  headline: {
    column: 'TokensPerSecond',
    label: 'Tokens per second',
    by: 'Deployment',
    threshold: 100,
    worse: 'lower',
  },
  show: { kind: 'line', x: 'TimeGenerated', y: ['TokensPerSecond'], series: 'Deployment', unit: 'tokens/s' },
});
