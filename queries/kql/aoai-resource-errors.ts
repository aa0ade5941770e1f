import { z } from 'zod';
import { deploymentFilter, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** 429s and 5xx as the Azure OpenAI resource logged them, per deployment. */
export const aoaiResourceErrors = defineKqlQuery({
  id: 'aoai-resource-errors',
  title: 'Azure OpenAI resource log: 429s and errors',
  description:
    'Requests, 429s and 5xx per time bucket and deployment from the Azure OpenAI resource’s own diagnostic logs (AzureDiagnostics, RequestResponse).',
  examples: [
    'what does the openai resource log say about 429s?',
    'resource diagnostic logs for gpt-4o',
    'throttling from the azure openai diagnostic logs',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '7d', default: '1h' }),
    bucket: timespan({ min: '1m', max: '1d', default: '5m' }),
    deployment: deploymentFilter(),
  }),
  source: 'aoai-diagnostics',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'Throttled', type: 'long', unit: 'req' },
    { name: 'ServerErrors', type: 'long', unit: 'req' },
    { name: 'ThrottleRate', type: 'real', unit: '%', decimals: 2 },
  ],
  // The 5 % of the Azure Monitor throttling alert rule, as for the application's throttle rate.
  headline: {
    column: 'ThrottleRate',
    label: 'Resource throttle rate',
    by: 'Deployment',
    threshold: 5,
    worse: 'higher',
  },
  show: { kind: 'line', x: 'TimeGenerated', y: ['ThrottleRate'], series: 'Deployment', unit: '%' },
});
