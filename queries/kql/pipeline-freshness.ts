import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Time since each data pipeline last succeeded. */
export const pipelineFreshness = defineKqlQuery({
  id: 'pipeline-freshness',
  title: 'Data pipeline freshness',
  description:
    'Time since each ingestion or index pipeline last succeeded (AppTraces); stale when over stale_after.',
  examples: [
    'is the RAG index up to date?',
    'when did the tickets index last update?',
    'any stale pipelines?',
  ],
  params: z.object({
    ...timeRange({ min: '1h', max: '14d', default: '2d' }),
    stale_after: timespan({ min: '5m', max: '7d', default: '2h' }),
    ...subjectFilters(['app_role']),
  }),
  columns: [
    { name: 'Pipeline', type: 'string' },
    { name: 'LastSuccess', type: 'datetime' },
    { name: 'SinceSuccess', type: 'timespan' },
    { name: 'Stale', type: 'bool' },
    { name: 'LastRun', type: 'datetime' },
    { name: 'FailedRuns', type: 'long', unit: 'runs' },
  ],
  headline: {
    column: 'SinceSuccess',
    label: 'Longest since a successful run',
    by: 'Pipeline',
    threshold: { param: 'stale_after' },
    worse: 'higher',
  },
  show: { kind: 'table' },
});
