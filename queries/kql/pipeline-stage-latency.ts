import { z } from 'zod';
import { appRoleFilter, deploymentFilter, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** P95 per pipeline stage (embedding, vector search, cache, LLM inference) against a baseline. */
export const pipelineStageLatency = defineKqlQuery({
  id: 'pipeline-stage-latency',
  title: 'Time per stage: embedding, retrieval, inference',
  description:
    'Where a request’s time goes: calls, average and P95 per stage of its trace (embedding → vector retrieval → LLM inference, or the semantic cache) from the spans, against the P95 over the baseline before.',
  examples: [
    'which stage is slow, embedding, retrieval or inference?',
    'stage breakdown of a request',
    'is vector retrieval slower than the baseline',
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
