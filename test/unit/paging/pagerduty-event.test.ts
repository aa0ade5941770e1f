import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../core/alerts/incident.ts';
import {
  buildStateEvent,
  buildTriggerEvent,
  pagingDedupKey,
} from '../../../handlers/paging/pagerduty-event.ts';

const T0 = Date.parse('2026-11-28T09:00:00Z');
const incident: Incident = {
  id: 42,
  groupKey: 'g',
  source: 'azure-monitor',
  title: 'x'.repeat(2_000),
  kind: 'outage',
  tier: 'P1',
  status: 'open',
  flapping: false,
  flapCount: 0,
  resource: { cluster: 'aks-gpu-01', namespace: 'ml', deployment: 'inference-api', model: 'gpt-4o' },
  acknowledgedBy: null,
  acknowledgedAt: null,
  silenceId: null,
  silencedBy: null,
  silencedUntil: null,
  openedAt: T0,
  updatedAt: T0,
  resolvedAt: null,
  version: 1,
};

describe('PagerDuty events', () => {
  it('keys every event of an incident the same way, per install', () => {
    expect(pagingDedupKey('prod-eu', 42)).toBe('oncall-bot:prod-eu:INC-42');
    expect(buildStateEvent('resolve', 'prod-eu', 42)).toEqual({
      event_action: 'resolve',
      dedup_key: 'oncall-bot:prod-eu:INC-42',
    });
  });

  it('builds a trigger within the field rules', () => {
    const e = buildTriggerEvent(
      { installId: 'prod-eu', publicUrl: 'https://bot.example.com', now: T0 },
      incident,
      [],
    );
    expect(e.payload!.summary.length).toBe(1024);
    expect(e.payload).toMatchObject({
      source: 'aks-gpu-01/ml/inference-api',
      severity: 'critical',
      component: 'gpt-4o',
      group: 'ml',
      class: 'outage',
      timestamp: '2026-11-28T09:00:00.000Z',
    });
    expect(e.payload!.custom_details).toMatchObject({ incident: 'INC-42', tier: 'P1' });
    expect(e.client_url).toBe('https://bot.example.com');
    expect(e.links).toBeUndefined();
    expect(JSON.stringify(e)).not.toContain('routing_key');
  });

  it("stamps the trigger with the sender's start time, not the time the bot received it", () => {
    const late = { ...incident, openedAt: T0 + 90 * 60_000, startedAt: T0 - 5 * 60_000 };
    const e = buildTriggerEvent(
      { installId: 'prod-eu', publicUrl: 'https://bot.example.com', now: T0 },
      late,
      [],
    );
    expect(e.payload!.timestamp).toBe('2026-11-28T08:55:00.000Z');
  });

  it('marks an escalation re-trigger', () => {
    const e = buildTriggerEvent(
      { installId: 'a', publicUrl: undefined, now: T0, note: 'escalated' },
      incident,
      [],
    );
    expect(e.payload!.summary.startsWith('[escalated] P1:')).toBe(true);
    expect(e.payload!.custom_details).toMatchObject({ note: 'escalated' });
  });
});
