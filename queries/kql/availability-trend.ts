import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Availability per deployment over time: the executive view's chart. */
export const availabilityTrend = defineKqlQuery({
  id: 'availability-trend',
  title: 'Availability over time per deployment',
  description:
    'Successful share of requests per model deployment and time bucket (429s and 5xx count as failed), with requests served.',
  examples: [
    'availability over the last day',
    'when did gpt-4o availability drop?',
    'success rate trend per deployment',
  ],
  params: z.object({
    ...timeRange({ min: '1h', max: '31d', default: '24h' }),
    bucket: timespan({ min: '1m', max: '1d', default: '1h' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'Succeeded', type: 'long', unit: 'req' },
    { name: 'Availability', type: 'real', unit: '%', decimals: 3 },
  ],
  headline: {
    column: 'Availability',
    label: 'Availability',
    by: 'Deployment',
    threshold: 99.9,
    worse: 'lower',
  },
  // A building block of the views (/cost, /status): questions keep going to the queries people know.
  routable: false,
  show: { kind: 'line', x: 'TimeGenerated', y: ['Availability'], series: 'Deployment', unit: '%' },
});
