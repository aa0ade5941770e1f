import { defineMetricQuery } from './define-metric-query.ts';
import { metricParams } from './metric-params.ts';

/** Provisioned deployments that overflow to standard capacity: the spilled requests are not 429s. */
export const spillover = defineMetricQuery({
  id: 'aoai-spillover',
  title: 'Azure OpenAI spillover to standard capacity',
  description:
    'Requests per deployment split by IsSpillover: the share a provisioned deployment sent to its standard spillover deployment (Azure Monitor metric AzureOpenAIRequests).',
  examples: ['is gpt-4o spilling over?', 'spillover from provisioned to standard'],
  params: metricParams({ window: '1h', interval: '5m' }),
  metrics: [{ name: 'AzureOpenAIRequests', aggregation: 'total', column: 'Requests' }],
  splitBy: 'IsSpillover',
  share: true,
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'IsSpillover', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'SharePct', type: 'real', unit: '%', decimals: 2 },
  ],
  headline: {
    column: 'SharePct',
    label: 'Share of the grain',
    by: 'IsSpillover',
    threshold: 10,
    worse: 'higher',
  },
  show: { kind: 'line', x: 'TimeGenerated', y: ['Requests'], series: 'IsSpillover', unit: 'req' },
});
