import { defineMetricQuery } from './define-metric-query.ts';
import { metricParams } from './metric-params.ts';

/** Prompt and completion tokens the resource processed: the volume its token quota counts. */
export const tokenVolume = defineMetricQuery({
  id: 'aoai-token-volume',
  title: 'Azure OpenAI token volume',
  description:
    'Prompt and generated tokens per deployment and time grain, as the resource counted them (Azure Monitor metrics ProcessedPromptTokens and GeneratedTokens).',
  examples: ['tokens per minute on gpt-4o from Azure metrics', 'token volume of the openai resource'],
  params: metricParams({ window: '1h', interval: '1m' }),
  metrics: [
    { name: 'ProcessedPromptTokens', aggregation: 'total', column: 'PromptTokens' },
    { name: 'GeneratedTokens', aggregation: 'total', column: 'GeneratedTokens' },
  ],
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'PromptTokens', type: 'long', unit: 'tokens' },
    { name: 'GeneratedTokens', type: 'long', unit: 'tokens' },
  ],
  headline: {
    column: 'PromptTokens',
    label: 'Prompt tokens',
    by: 'Deployment',
    baseline: 'GeneratedTokens',
    worse: 'higher',
  },
  show: {
    kind: 'line',
    x: 'TimeGenerated',
    y: ['PromptTokens', 'GeneratedTokens'],
    series: 'Deployment',
    unit: 'tokens',
  },
});
