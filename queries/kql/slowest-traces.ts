import { z } from 'zod';
import { long, subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** The slowest requests with the time each spent per pipeline stage. */
export const slowestTraces = defineKqlQuery({
  id: 'slowest-traces',
  title: 'Slowest traces with their span breakdown',
  description:
    'The slowest traces of the range, each with the time it spent in embedding, vector retrieval, the semantic cache and LLM inference, and its slowest stage.',
  examples: [
    'show me the slowest traces',
    'span breakdown of the slowest traces on gpt-4o',
    'which spans made the slowest traces slow?',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '3d', default: '1h' }),
    ...subjectFilters(),
    limit: long({ min: 1, max: 50, default: 10 }),
  }),
  columns: [
    { name: 'OperationId', type: 'string' },
    { name: 'StartedAt', type: 'datetime' },
    { name: 'AppRole', type: 'string' },
    { name: 'Deployment', type: 'string' },
    { name: 'ModelVersion', type: 'string' },
    { name: 'TotalMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'EmbeddingMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'SearchMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'CacheMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'InferenceMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'SlowestStage', type: 'string' },
  ],
  // Against the latency SLO the slow-requests query and the latency alert use by default.
  headline: {
    column: 'TotalMs',
    label: 'Slowest request',
    by: 'OperationId',
    threshold: 2000,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
