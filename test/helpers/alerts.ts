import type { ParsedAlert } from '../../core/alerts/alert.ts';
import { azureMetricAlert } from '../../sim/scenarios/payloads.ts';

/** A parsed alert with sensible defaults; tests override what they are about. */
export function parsed(overrides: Partial<ParsedAlert> = {}): ParsedAlert {
  return {
    source: 'alertmanager',
    fingerprint: 'fp-1',
    groupKey: '{}:{alertname="GpuTemperatureHigh"}',
    rule: 'GpuTemperatureHigh',
    status: 'firing',
    sourceSeverity: 'warning',
    summary: 'GPU 3 on node-7 above 83 °C',
    description: null,
    labels: { alertname: 'GpuTemperatureHigh', severity: 'warning', Hostname: 'node-7', gpu: '3' },
    annotations: {},
    resource: { node: 'node-7', gpu: '3' },
    startsAt: '2026-11-28T09:00:00.000Z',
    endsAt: null,
    links: [],
    values: {},
    valueText: null,
    details: [],
    query: null,
    ...overrides,
  };
}

/**
 * An Azure Monitor (common schema) metric alert: more than 5 % of a deployment's requests answered
 * 429. `guid` makes the alert and its rule distinct.
 */
export function throttleAlert(deployment: string, guid: string, firedAt: number) {
  return azureMetricAlert({
    rule: `aoai-${guid}-429-rate`,
    alertGuid: `0c1d2e3f-4a5b-4c6d-8e7f-${guid.padStart(12, '0')}`,
    severity: 'Sev2',
    condition: 'Fired',
    firedAt: new Date(firedAt).toISOString(),
    account: 'aoai-prod-eastus2',
    metricName: 'AzureOpenAIRequests',
    dimensions: [
      { name: 'StatusCode', value: '429' },
      { name: 'ModelDeploymentName', value: deployment },
    ],
    threshold: 100,
    value: 311,
    description: `More than 5% of ${deployment} requests throttled (429) for 10 minutes.`,
  });
}
