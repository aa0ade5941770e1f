import { z } from 'zod';
import { deploymentName, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Latency, errors and refusals per model version of one deployment. */
export const modelVersionComparison = defineKqlQuery({
  id: 'model-version-comparison',
  title: 'Model version comparison',
  description:
    'Latency, error rate and refusal rate of one deployment per model version: silent drift after a version change.',
  examples: [
    'did the new model version get slower?',
    'compare gpt-4o versions',
    'more refusals since the upgrade?',
  ],
  params: z.object({
    window: timespan({ min: '1h', max: '7d', default: '24h' }),
    deployment: deploymentName('gpt-4o'),
  }),
  columns: [
    { name: 'ModelVersion', type: 'string' },
    { name: 'FirstSeen', type: 'datetime' },
    { name: 'LastSeen', type: 'datetime' },
    { name: 'Requests', type: 'long' },
    { name: 'AvgMs', type: 'real' },
    { name: 'P95Ms', type: 'real' },
    { name: 'ErrorRate', type: 'real' },
    { name: 'RefusalRate', type: 'real' },
  ],
  show: { kind: 'table' },
});
