import { z } from 'zod';
import { deploymentName, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Time to first token per deployment. */
export const ttftPercentiles = defineKqlQuery({
  id: 'ttft-percentiles',
  title: 'Time to first token percentiles',
  description: 'P50, P90, P95 and P99 time to first token (ms) of streamed completions, per deployment.',
  examples: ['how long until the first token?', 'TTFT on gpt-4o', 'is streaming slower than usual?'],
  params: z.object({
    window: timespan({ min: '5m', max: '7d', default: '1h' }),
    deployment: deploymentName('*'),
  }),
  columns: [
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long' },
    { name: 'P50', type: 'real' },
    { name: 'P90', type: 'real' },
    { name: 'P95', type: 'real' },
    { name: 'P99', type: 'real' },
  ],
  show: { kind: 'table' },
});
