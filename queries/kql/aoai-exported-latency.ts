import { z } from 'zod';
import { timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** The resource's time to response from exported platform metrics. */
export const aoaiExportedLatency = defineKqlQuery({
  id: 'aoai-exported-latency',
  title: 'Exported platform metrics: time to response',
  description:
    'Average and maximum time to response of the whole Azure OpenAI resource (AzureOpenAITimeToResponse in its exported platform metrics, AzureMetrics), per time bucket; aggregated across deployments.',
  examples: [
    'time to response from the exported platform metrics',
    'exported metrics response speed of the openai resource',
    'how fast does the resource answer per the azure metrics export?',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '7d', default: '1h' }),
    bucket: timespan({ min: '1m', max: '1d', default: '5m' }),
  }),
  source: 'azure-metrics-export',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'AvgMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'MaxMs', type: 'real', unit: 'ms', decimals: 0 },
    { name: 'Requests', type: 'long', unit: 'req' },
  ],
  // The time-to-first-token budget the ttft-percentiles query uses.
  headline: { column: 'AvgMs', label: 'Average time to response', threshold: 1000, worse: 'higher' },
  show: { kind: 'line', x: 'TimeGenerated', y: ['AvgMs', 'MaxMs'], unit: 'ms' },
});
