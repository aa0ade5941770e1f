import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../bot/policy.ts';
import { incidentCard } from '../../../cards/templates/incident-card.ts';
import type { Incident } from '../../../core/alerts/incident.ts';
import { xidOfAlert } from '../../../core/gpu/alert-xid.ts';
import { plainText, type Section } from '../../../core/message.ts';
import type { StoredAlert } from '../../../core/store.ts';
import { classifyAlert } from '../../../handlers/alerts/classify.ts';
import { parseAlertmanager } from '../../../handlers/alerts/intake/index.ts';
import { xidCardSections } from '../../../handlers/gpu/alert-xids.ts';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const MIN = 60_000;

/** One XID alert as a real Alertmanager sends it for the shipped GpuXid* rules (xid label from $value). */
function xidAlert(xid: number, startsAt: number, gpu = '5', extra: Record<string, string> = {}) {
  return {
    status: 'firing',
    labels: {
      alertname: 'GpuXidFatal',
      kind: 'gpu-xid',
      tier: 'P1',
      severity: 'critical',
      Hostname: 'node-3',
      gpu,
      xid: String(xid),
      UUID: 'GPU-a04d7e31-6c2f-4b8a-8e15-9f7c3d2b1a60',
      ...extra,
    },
    annotations: { summary: `GPU ${gpu} on node-3 reported XID ${xid}` },
    startsAt: new Date(startsAt).toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=DCGM_FI_DEV_XID_ERRORS',
    fingerprint: `fp-${gpu}-${xid}`,
  };
}

function payload(alerts: unknown[]) {
  return {
    receiver: 'bot',
    status: 'firing',
    alerts,
    groupLabels: { alertname: 'GpuXidFatal' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}:{alertname="GpuXidFatal"}',
    truncatedAlerts: 0,
  };
}

function stored(body: unknown): StoredAlert[] {
  return parseAlertmanager(body).map((p) => ({
    alert: classifyAlert(p, defaultPolicy()),
    incidentId: 1,
    firstSeenAt: T0,
    lastSeenAt: T0,
    resolvedAt: null,
    refireCount: 0,
    receiveCount: 1,
  }));
}

function incidentOf(alerts: StoredAlert[]): Incident {
  const a = alerts[0]!.alert;
  return {
    id: 1,
    groupKey: 'g',
    source: 'alertmanager',
    title: a.summary,
    kind: a.kind,
    tier: 'P1',
    status: 'open',
    flapping: false,
    flapCount: 0,
    resource: a.resource,
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
}

const texts = (sections: Section[]) =>
  sections.flatMap((s) => (s.kind === 'notice' || s.kind === 'text' ? [plainText(s.text)] : []));

describe('XID knowledge on ECC and XID incident cards', () => {
  it('an XID 79 card recommends a node reboot and says when to replace', () => {
    const alerts = stored(payload([xidAlert(79, T0)]));
    const sections = xidCardSections(incidentOf(alerts), alerts, 'UTC', T0 + MIN);
    expect(texts(sections)[0]).toBe(
      'node-3 GPU 5: XID 79 (GPU fell off the bus): Drain and reboot the node; a GPU reset is not possible while it is off the bus.',
    );
    expect(sections).toContainEqual({
      kind: 'facts',
      facts: [['Replace the GPU', 'if it falls off the bus again after the reboot']],
    });
    expect(sections.find((s) => s.kind === 'links')).toEqual({
      kind: 'links',
      links: [
        {
          title: 'NVIDIA XID catalog',
          url: 'https://docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html',
        },
      ],
    });
  });

  it('reads 48 followed by 63 on one GPU as one problem with drain-and-reset, 48 first', () => {
    const alerts = stored(payload([xidAlert(63, T0 + 2 * MIN), xidAlert(48, T0)]));
    const sections = xidCardSections(incidentOf(alerts), alerts, 'UTC', T0 + 3 * MIN);
    const notice = texts(sections)[0]!;
    expect(notice).toContain(
      'XID 48 (Double-bit ECC error), then XID 63 (Row remapping recorded) on one GPU: one memory fault',
    );
    expect(notice).toContain('XID 48 (Double-bit ECC error) came first');
    expect(notice).toContain('Drain the node and reset the GPU');
    const table = sections.find((s) => s.kind === 'table');
    expect(table?.kind === 'table' && table.rows.map((r) => r[0])).toEqual(['48', '63']);
  });

  it('reads each GPU on its own: an application fault on one does not change another', () => {
    const alerts = stored(payload([xidAlert(13, T0, '1'), xidAlert(48, T0 + MIN, '5')]));
    const t = texts(xidCardSections(incidentOf(alerts), alerts, 'UTC', T0 + 2 * MIN));
    expect(t).toEqual([
      expect.stringMatching(
        /^node-3 GPU 1: XID 13 \(Graphics engine exception\): an application fault, the GPU is fine/,
      ),
      expect.stringMatching(/^node-3 GPU 5: XID 48 \(Double-bit ECC error\): Reset the GPU/),
    ]);
  });

  it('gives an ECC incident without XIDs the double-bit ECC action, never a blanket "replace the GPU"', () => {
    const body = payload([
      {
        ...xidAlert(0, T0),
        labels: {
          alertname: 'GpuUncorrectableEccError',
          kind: 'gpu-ecc',
          tier: 'P1',
          severity: 'critical',
          Hostname: 'node-3',
          gpu: '5',
        },
        annotations: { summary: 'GPU 5 on node-3 had 1 uncorrectable ECC error(s)' },
      },
    ]);
    const alerts = stored(body);
    const incident = incidentOf(alerts);
    const sections = xidCardSections(incident, alerts, 'UTC', T0 + MIN);
    expect(texts(sections)).toEqual([
      'node-3 GPU 5: uncorrectable ECC error. Reset the GPU; when XID 63 or 64 follows, drain the node first, then reset. Replace the GPU only when a row remap fails (XID 64) or the ECC/SRAM threshold is exceeded.',
    ]);
    const card = JSON.stringify(incidentCard({ incident, alerts, time: { timeZone: 'UTC', now: T0 } }));
    expect(card).not.toMatch(/replace the GPU/i);
  });

  it('reads the XID from the label, else from the summary, and nothing from other numbers', () => {
    const [a] = stored(payload([xidAlert(94, T0)]));
    expect(xidOfAlert(a!.alert)).toBe(94);
    const { xid: _x, ...labels } = a!.alert.labels;
    expect(xidOfAlert({ ...a!.alert, labels })).toBe(94);
    expect(xidOfAlert({ ...a!.alert, labels, summary: 'GPU 5 on node-3 is at 91 °C' })).toBeUndefined();
  });

  it('leaves other incidents alone', () => {
    const alerts = stored(payload([xidAlert(79, T0)]));
    expect(xidCardSections({ ...incidentOf(alerts), kind: 'gpu-temperature' }, alerts, 'UTC', T0)).toEqual(
      [],
    );
  });
});
