import { z } from 'zod';
import { subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Deployments with requests but no successful answer: an outage. */
export const zeroSuccess = defineKqlQuery({
  id: 'zero-success',
  title: 'Deployments with zero successful requests',
  description:
    'Deployments that received requests but answered none of them successfully in the window (an outage).',
  examples: ['is any deployment down?', 'which model endpoint answers nothing?', 'outage on o3-mini?'],
  params: z.object({
    ...timeRange({ min: '1m', max: '1d', default: '15m' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'LastRequest', type: 'datetime' },
    { name: 'ResultCodes', type: 'dynamic' },
  ],
  // Any request without a success in the window is an outage.
  headline: {
    column: 'Requests',
    label: 'Requests without a success',
    by: 'Deployment',
    threshold: 0,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
