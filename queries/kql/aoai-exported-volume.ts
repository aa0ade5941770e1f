import { z } from 'zod';
import { timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** The resource's requests and tokens per minute from exported platform metrics, against its quota. */
export const aoaiExportedVolume = defineKqlQuery({
  id: 'aoai-exported-volume',
  title: 'Exported platform metrics: volume against quota',
  description:
    'Requests and tokens per minute of the whole Azure OpenAI resource from its exported platform metrics (AzureMetrics), the peak against the resource’s token quota; aggregated across deployments.',
  examples: [
    'exported platform metrics volume of the openai resource',
    'how close is the whole resource to its quota per the exported metrics?',
    'requests and tokens per minute from the azure metrics export',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '7d', default: '1h' }),
    bucket: timespan({ min: '1m', max: '1d', default: '5m' }),
  }),
  source: 'azure-metrics-export',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'RequestsPerMin', type: 'real', unit: 'req/min', decimals: 0 },
    { name: 'PromptTokensPerMin', type: 'real', unit: 'tokens/min', decimals: 0 },
    { name: 'GeneratedTokensPerMin', type: 'real', unit: 'tokens/min', decimals: 0 },
    { name: 'PeakTpm', type: 'real', unit: 'tokens/min', decimals: 0 },
    { name: 'QuotaTpm', type: 'long', unit: 'tokens/min' },
    { name: 'QuotaUsedPct', type: 'real', unit: '%', decimals: 1 },
  ],
  // The 80 % of the quota alert rule.
  headline: { column: 'QuotaUsedPct', label: 'Resource quota used', threshold: 80, worse: 'higher' },
  show: { kind: 'line', x: 'TimeGenerated', y: ['QuotaUsedPct'], unit: '%' },
});
