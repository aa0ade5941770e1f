import { z } from 'zod';
import { deploymentFilter, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Forwarded calls per gateway backend and deployment: the backend's 429s, 5xx and response time. */
export const apimBackendFailures = defineKqlQuery({
  id: 'apim-backend-failures',
  title: 'AI gateway: failing backends',
  description:
    'Calls the API Management AI gateway forwarded, per backend and deployment: the share the backend failed and its P95 backend time.',
  examples: [
    'is a backend failing behind the gateway?',
    'apim backend failures per deployment',
    'are the ai gateway backends failing',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '7d', default: '1h' }),
    deployment: deploymentFilter(),
  }),
  source: 'apim-gateway',
  columns: [
    { name: 'Backend', type: 'string' },
    { name: 'Deployment', type: 'string' },
    { name: 'Calls', type: 'long', unit: 'req' },
    { name: 'Throttled', type: 'long', unit: 'req' },
    { name: 'ServerErrors', type: 'long', unit: 'req' },
    { name: 'FailureRate', type: 'real', unit: '%', decimals: 2 },
    { name: 'P95BackendMs', type: 'long', unit: 'ms' },
  ],
  headline: {
    column: 'FailureRate',
    label: 'Backend failure rate',
    by: 'Backend',
    threshold: 5,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
