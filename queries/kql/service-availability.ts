import { z } from 'zod';
import { real, subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Availability (successful share of requests), requests and distinct users per deployment and overall. */
export const serviceAvailability = defineKqlQuery({
  id: 'service-availability',
  title: 'Availability per deployment',
  description:
    'Successful share of requests per model deployment and for all together (429s and 5xx count as failed), with requests served and distinct users counted in the query.',
  examples: [
    'are we meeting the SLA?',
    'availability per deployment today',
    'how many users did we serve this week?',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '31d', default: '24h' }),
    /** The SLA target the headline compares with, in percent (the policy's `views.slaTarget`). */
    sla: real({ min: 50, max: 100, default: 99.9 }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'Succeeded', type: 'long', unit: 'req' },
    { name: 'Throttled', type: 'long', unit: 'req' },
    { name: 'Errors5xx', type: 'long', unit: 'req' },
    { name: 'Users', type: 'long', unit: 'users' },
    { name: 'Availability', type: 'real', unit: '%', decimals: 3 },
  ],
  headline: {
    column: 'Availability',
    label: 'Lowest availability',
    by: 'Deployment',
    threshold: { param: 'sla' },
    worse: 'lower',
  },
  // A building block of the views (/cost, /status): questions keep going to the queries people know.
  routable: false,
  show: { kind: 'table' },
});
