import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** HTTP 429 share over time per app role. */
export const throttleRate = defineKqlQuery({
  id: 'throttle-rate',
  title: 'HTTP 429 throttle rate',
  description: 'Share of requests throttled by Azure OpenAI (HTTP 429), per time bucket and app role.',
  examples: ['are we being rate limited?', '429s on gpt-4o today', 'throttling over the last hour'],
  params: z.object({
    ...timeRange({ min: '5m', max: '14d', default: '24h' }),
    bucket: timespan({ min: '1m', max: '1d', default: '15m' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'AppRoleName', type: 'string' },
    { name: 'Total', type: 'long', unit: 'req' },
    { name: 'Throttled', type: 'long', unit: 'req' },
    { name: 'ThrottleRate', type: 'real', unit: '%', decimals: 2 },
  ],
  // The 5 % of the Azure Monitor throttling alert rule.
  headline: {
    column: 'ThrottleRate',
    label: 'Throttle rate',
    by: 'AppRoleName',
    threshold: 5,
    worse: 'higher',
  },
  show: { kind: 'line', x: 'TimeGenerated', y: ['ThrottleRate'], series: 'AppRoleName', unit: '%' },
});
