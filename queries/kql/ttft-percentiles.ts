import { z } from 'zod';
import { subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Time to first token per deployment. */
export const ttftPercentiles = defineKqlQuery({
  id: 'ttft-percentiles',
  title: 'Time to first token percentiles',
  description: 'P50, P90, P95 and P99 time to first token (ms) of streamed completions, per deployment.',
  examples: ['how long until the first token?', 'TTFT on gpt-4o', 'is streaming slower than usual?'],
  params: z.object({
    ...timeRange({ min: '5m', max: '31d', default: '1h' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'P50', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P90', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P95', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P99', type: 'real', unit: 'ms', decimals: 0 },
  ],
  // Streamed answers should start within a second: the reviewed target.
  headline: {
    column: 'P95',
    label: 'Slowest P95 time to first token',
    by: 'Deployment',
    threshold: 1000,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
