import { z } from 'zod';
import { appRoleFilter, deploymentFilter, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** P95 per pipeline stage (embedding, vector search, cache, LLM inference) against a baseline. */
export const pipelineStageLatency = defineKqlQuery({
  id: 'pipeline-stage-latency',
  title: 'Pipeline stage latency',
  description:
    'Where a request’s time goes: calls, average and P95 per stage of the application’s pipeline (embedding → vector search → LLM inference, semantic cache) from its spans, against the P95 over the baseline before.',
  examples: [
    'which stage is slow, embedding, vector search or inference?',
    'stage latency breakdown of the rag pipeline',
    'is vector search slower than usual',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '3d', default: '1h' }),
    baseline: timespan({ min: '1h', max: '3d', default: '24h' }),
    deployment: deploymentFilter(),
    app_role: appRoleFilter(),
  }),
  columns: [
    { name: 'Stage', type: 'string' },
    { name: 'Calls', type: 'long', unit: 'req' },
    { name: 'AvgMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'P95Ms', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'BaselineP95Ms', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'Slowdown', type: 'real', unit: '×', decimals: 2 },
    { name: 'FailureRate', type: 'real', unit: '%', decimals: 2 },
  ],
  headline: { column: 'P95Ms', label: 'Stage P95', by: 'Stage', baseline: 'BaselineP95Ms', worse: 'higher' },
  show: { kind: 'table' },
});
