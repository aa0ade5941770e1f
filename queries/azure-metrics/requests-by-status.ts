import { defineMetricQuery } from './define-metric-query.ts';
import { metricParams } from './metric-params.ts';

/** Requests per status code, from the resource's own count: 429s the application never logged included. */
export const requestsByStatus = defineMetricQuery({
  id: 'aoai-requests-by-status',
  title: 'Azure OpenAI requests by status code',
  description:
    'Requests the Azure OpenAI resource answered, per deployment and HTTP status code, with each code’s share (Azure Monitor metric AzureOpenAIRequests).',
  examples: ['429s on gpt-4o from Azure metrics', 'status codes of the openai resource'],
  params: metricParams({ window: '1h', interval: '5m' }),
  metrics: [{ name: 'AzureOpenAIRequests', aggregation: 'total', column: 'Requests' }],
  splitBy: 'StatusCode',
  share: true,
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'StatusCode', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'SharePct', type: 'real', unit: '%', decimals: 2 },
  ],
  headline: {
    column: 'SharePct',
    label: 'Share of the grain',
    by: 'StatusCode',
    threshold: 5,
    worse: 'higher',
  },
  show: { kind: 'line', x: 'TimeGenerated', y: ['Requests'], series: 'StatusCode', unit: 'req' },
});
