import { z } from 'zod';
import { deploymentFilter, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Each logged model rollout with the deployment's P95 latency before and after it. */
export const deploymentLatencyChange = defineKqlQuery({
  id: 'deployment-latency-change',
  title: 'Rollouts and the slowdown they caused',
  description:
    'Every model rollout the deployment pipeline logged (deployment, old and new version), with the deployment’s P95 latency in the hour before and the hour after it.',
  examples: ['slowdown at each rollout', 'before and after the rollouts', 'was a release followed by a jump'],
  params: z.object({
    ...timeRange({ min: '1h', max: '14d', default: '7d' }),
    deployment: deploymentFilter(),
    around: timespan({ min: '10m', max: '6h', default: '1h' }),
  }),
  columns: [
    { name: 'RolledOutAt', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'FromVersion', type: 'string' },
    { name: 'ToVersion', type: 'string' },
    { name: 'P95BeforeMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P95AfterMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'Change', type: 'real', unit: '×', decimals: 2 },
  ],
  headline: {
    column: 'P95AfterMs',
    label: 'P95 after the rollout',
    by: 'Deployment',
    baseline: 'P95BeforeMs',
    worse: 'higher',
  },
  time: 'RolledOutAt',
  show: { kind: 'table' },
});
