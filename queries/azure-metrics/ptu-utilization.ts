import { defineMetricQuery } from './define-metric-query.ts';
import { metricParams } from './metric-params.ts';

/** Provisioned-managed utilisation: at 100 % a PTU deployment answers 429. */
export const ptuUtilization = defineMetricQuery({
  id: 'aoai-ptu-utilization',
  title: 'Provisioned (PTU) utilisation',
  description:
    'Peak provisioned-managed utilisation per provisioned deployment and time grain; at 100 % the deployment throttles with 429 (Azure Monitor metric AzureOpenAIProvisionedManagedUtilizationV2). Standard deployments have no such series.',
  examples: ['ptu utilisation of gpt-4o', 'is the provisioned deployment saturated?'],
  params: metricParams({ window: '1h', interval: '5m' }),
  metrics: [
    { name: 'AzureOpenAIProvisionedManagedUtilizationV2', aggregation: 'maximum', column: 'UtilizationPct' },
  ],
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Deployment', type: 'string' },
    { name: 'UtilizationPct', type: 'real', unit: '%', decimals: 1 },
  ],
  headline: {
    column: 'UtilizationPct',
    label: 'Peak utilisation',
    by: 'Deployment',
    threshold: 90,
    worse: 'higher',
  },
  empty: 'No utilisation series: the deployment is not provisioned (standard deployments have none).',
  show: { kind: 'line', x: 'TimeGenerated', y: ['UtilizationPct'], series: 'Deployment', unit: '%' },
});
