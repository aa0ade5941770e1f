import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** 4xx and 5xx shares per endpoint over time: the engineering view's error chart. */
export const endpointErrors = defineKqlQuery({
  id: 'endpoint-errors',
  title: '4xx and 5xx per endpoint over time',
  description: 'Client and server error shares of each endpoint’s requests (OperationName) per time bucket.',
  examples: ['4xx and 5xx by endpoint', 'which endpoint returns 5xx?', 'error rate per operation'],
  params: z.object({
    ...timeRange({ min: '5m', max: '7d', default: '1h' }),
    bucket: timespan({ min: '1m', max: '7d', default: '5m' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'OperationName', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'Errors4xx', type: 'long', unit: 'req' },
    { name: 'Errors5xx', type: 'long', unit: 'req' },
    { name: 'Rate4xx', type: 'real', unit: '%', decimals: 2 },
    { name: 'Rate5xx', type: 'real', unit: '%', decimals: 2 },
  ],
  headline: { column: 'Rate5xx', label: '5xx share', by: 'OperationName', threshold: 1, worse: 'higher' },
  time: 'TimeGenerated',
  // A building block of the engineering view (/eng): questions keep going to the queries people know.
  routable: false,
  show: { kind: 'line', x: 'TimeGenerated', y: ['Rate5xx'], series: 'OperationName', unit: '%' },
});
