import type { ParsedAlert } from '../../handlers/alerts/alert.ts';

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
    ...overrides,
  };
}
