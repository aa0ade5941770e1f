import { z } from 'zod';
import { deploymentName, subjectFilters, timeRange } from '../params.ts';
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
    ...timeRange({ min: '1h', max: '31d', default: '24h' }),
    deployment: deploymentName('gpt-4o'),
    ...subjectFilters(['app_role', 'operation', 'team']),
  }),
  columns: [
    { name: 'ModelVersion', type: 'string' },
    { name: 'FirstSeen', type: 'datetime' },
    { name: 'LastSeen', type: 'datetime' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'AvgMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P95Ms', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'ErrorRate', type: 'real', unit: '%', decimals: 2 },
    { name: 'RefusalRate', type: 'real', unit: '%', decimals: 2 },
  ],
  // The newest version is the suspect; the threshold is the latency SLO that slow-requests uses by default.
  headline: { column: 'P95Ms', label: 'P95 latency', by: 'ModelVersion', threshold: 2000, worse: 'higher' },
  time: 'FirstSeen',
  show: { kind: 'table' },
});
