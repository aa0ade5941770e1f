import { z } from 'zod';
import { long, subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** The operations that fail most, with result codes. */
export const topFailingOperations = defineKqlQuery({
  id: 'top-failing-operations',
  title: 'Top failing operations',
  description: 'The operations with the most failed requests in the window, per result code.',
  examples: ['what is failing?', 'top errors in the last hour', 'which endpoints return 500?'],
  params: z.object({
    ...timeRange({ min: '5m', max: '31d', default: '1h' }),
    limit: long({ min: 1, max: 50, default: 10 }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'OperationName', type: 'string' },
    { name: 'ResultCode', type: 'string' },
    { name: 'Failures', type: 'long', unit: 'req' },
    { name: 'Roles', type: 'long', unit: 'roles' },
    { name: 'LastFailure', type: 'datetime' },
  ],
  // Every failure counts; the headline names the operation that failed most.
  headline: {
    column: 'Failures',
    label: 'Most failures',
    by: 'OperationName',
    threshold: 0,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
