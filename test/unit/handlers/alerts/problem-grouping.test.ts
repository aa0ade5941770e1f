import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../../../bot/policy.ts';
import type { StoredAlert } from '../../../../core/store.ts';
import { classifyAlert } from '../../../../handlers/alerts/classify.ts';
import { groupKeyFor, problemKeyFor } from '../../../../handlers/alerts/group-key.ts';
import { firingTier } from '../../../../handlers/alerts/incident-tier.ts';
import { parsed } from '../../../helpers/alerts.ts';

const policy = defaultPolicy();
const alert = (over: Parameters<typeof parsed>[0] = {}) => classifyAlert(parsed(over), policy);
const stored = (over: Parameters<typeof parsed>[0]): StoredAlert => ({
  alert: alert(over),
  incidentId: 1,
  firstSeenAt: 0,
  lastSeenAt: 0,
  resolvedAt: null,
  refireCount: 0,
  receiveCount: 1,
});

describe('problem grouping', () => {
  it('gives warning and critical of one metric on one GPU one key, whatever their sender group', () => {
    const high = alert({ rule: 'GpuTemperatureHigh', groupKey: '{}:{alertname="GpuTemperatureHigh"}' });
    const crit = alert({
      rule: 'GpuTemperatureCritical',
      groupKey: '{}:{alertname="GpuTemperatureCritical"}',
      labels: { alertname: 'GpuTemperatureCritical', tier: 'P2' },
    });
    expect(groupKeyFor(high, policy)).toBe('problem:gpu-temperature|node="node-7"|gpu="3"');
    expect(groupKeyFor(crit, policy)).toBe(groupKeyFor(high, policy));
    expect(groupKeyFor(alert({ resource: { node: 'node-7', gpu: '4' } }), policy)).not.toBe(
      groupKeyFor(high, policy),
    );
  });

  it('puts an ECC error and its XID on one GPU into one problem', () => {
    const ecc = alert({
      rule: 'GpuUncorrectableEccError',
      labels: { alertname: 'GpuUncorrectableEccError' },
    });
    const xid = alert({
      rule: 'GpuXidFatal',
      labels: { alertname: 'GpuXidFatal', kind: 'gpu-xid', xid: '48' },
    });
    expect([ecc.kind, xid.kind]).toEqual(['gpu-ecc', 'gpu-xid']);
    expect(problemKeyFor(ecc, policy)).toBe('problem:gpu-errors|node="node-7"|gpu="3"');
    expect(problemKeyFor(xid, policy)).toBe(problemKeyFor(ecc, policy));
  });

  it('keeps the sender group without the resource, for other kinds, when off, and under an explicit grouping', () => {
    const noGpu = alert({ resource: { node: 'node-7' } });
    expect(groupKeyFor(noGpu, policy)).toBe(`alertmanager|${noGpu.groupKey}`);
    const latency = alert({ rule: 'LlmLatencySlo', labels: { alertname: 'LlmLatencySlo' } });
    expect(groupKeyFor(latency, policy)).toBe(`alertmanager|${latency.groupKey}`);
    const off = parsePolicy('problems: { groups: [] }\n');
    expect(groupKeyFor(alert(), off)).toBe(`alertmanager|${alert().groupKey}`);
    const byHost = parsePolicy('grouping:\n  alertmanager: { by: [Hostname] }\n');
    expect(groupKeyFor(alert(), byHost)).toBe('alertmanager|by:Hostname="node-7"');
  });

  it('takes problem groups from the policy and refuses a kind in two groups', () => {
    const p = parsePolicy(
      'problems:\n  groups:\n    - { name: hot-node, kinds: [gpu-temperature], by: [node] }\n',
    );
    expect(groupKeyFor(alert(), p)).toBe('problem:hot-node|node="node-7"');
    expect(() =>
      parsePolicy(
        'problems:\n  groups:\n    - { name: a, kinds: [gpu-ecc], by: [node] }\n    - { name: b, kinds: [gpu-ecc], by: [gpu] }\n',
      ),
    ).toThrow(/one problem group only/);
    expect(() =>
      parsePolicy('problems:\n  groups:\n    - { name: a, kinds: [gpu-ecc], by: [hostname] }\n'),
    ).toThrow();
  });
});

describe('firingTier: the tier of an open incident', () => {
  it('is the most urgent firing alert, titled after it', () => {
    const warning = stored({ fingerprint: 'w', summary: 'above 78 °C', labels: { tier: 'P3' } });
    const critical = stored({ fingerprint: 'c', summary: 'above 83 °C', labels: { tier: 'P2' } });
    expect(firingTier([warning, critical])).toMatchObject({ tier: 'P2', lead: critical });
    const resolved = { ...critical, alert: { ...critical.alert, status: 'resolved' as const } };
    expect(firingTier([warning, resolved])).toMatchObject({ tier: 'P3', lead: warning });
    expect(firingTier([{ ...warning, alert: { ...warning.alert, status: 'resolved' } }])).toBeUndefined();
  });

  it('keeps counting an earlier XID while a later XID of the incident fires (the gauge holds one value)', () => {
    const xid = (n: string, tier: string, status: 'firing' | 'resolved') =>
      stored({
        fingerprint: `x${n}`,
        rule: 'GpuXidFatal',
        status,
        labels: { alertname: 'GpuXidFatal', kind: 'gpu-xid', xid: n, tier },
      });
    const first = xid('48', 'P1', 'resolved');
    const later = xid('63', 'P2', 'firing');
    expect(firingTier([first, later])).toMatchObject({ tier: 'P1', lead: first });
  });
});
