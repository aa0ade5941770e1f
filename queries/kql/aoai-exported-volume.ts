import { z } from 'zod';
import { timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** The resource's requests and tokens per minute from exported platform metrics, against its quota. */
export const aoaiExportedVolume = defineKqlQuery({
  id: 'aoai-exported-volume',
  title: 'Azure OpenAI exported metrics: volume against quota',
  description:
    'Requests and tokens per minute of the whole Azure OpenAI resource from its exported platform metrics (AzureMetrics), with the peak tokens per minute against the resource’s token quota. Aggregated across deployments.',
  examples: [
    'how close is the openai resource to its token quota per minute?',
    'exported azure metrics token volume',
    'requests and tokens per minute of the whole resource',
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
