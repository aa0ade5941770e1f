import { defaultPolicy } from '../../../bot/policy.ts';
import type { Alert } from '../../../core/alerts/alert.ts';
import type { NewIncident, StoredAlert } from '../../../core/store.ts';
import { classifyAlert } from '../../../handlers/alerts/classify.ts';
import { parsed } from '../../helpers/alerts.ts';

export const T0 = Date.parse('2026-11-28T09:00:00Z');

export function anAlert(overrides: Parameters<typeof parsed>[0] = {}): Alert {
  return classifyAlert(parsed(overrides), defaultPolicy());
}

export function aStoredAlert(overrides: Partial<StoredAlert> = {}): StoredAlert {
  return {
    alert: anAlert(),
    incidentId: null,
    firstSeenAt: T0,
    lastSeenAt: T0,
    resolvedAt: null,
    refireCount: 0,
    receiveCount: 1,
    ...overrides,
  };
}

export function anIncident(overrides: Partial<NewIncident> = {}): NewIncident {
  return {
    groupKey: 'group-a',
    source: 'alertmanager',
    title: 'GPU 3 on node-7 above 83 °C',
    kind: 'gpu-temperature',
    tier: 'P2',
    status: 'open',
    flapping: false,
    flapCount: 0,
    resource: { node: 'node-7', gpu: '3' },
    acknowledgedBy: null,
    acknowledgedAt: null,
    silenceId: null,
    silencedBy: null,
    silencedUntil: null,
    openedAt: T0,
    updatedAt: T0,
    resolvedAt: null,
    startedAt: T0,
    endedAt: null,
    version: 1,
    ...overrides,
  };
}
