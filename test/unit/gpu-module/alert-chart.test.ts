import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../bot/policy.ts';
import { verifyChartToken } from '../../../cards/charts/chart-token.ts';
import type { Incident } from '../../../core/alerts/incident.ts';
import type { StoredAlert } from '../../../core/store.ts';
import { classifyAlert } from '../../../handlers/alerts/classify.ts';
import { gpuAlertChart } from '../../../handlers/gpu/alert-chart.ts';
import { createChartLinks } from '../../../handlers/gpu/chart-links.ts';
import { parsed } from '../../helpers/alerts.ts';

const SECRET = 'chart-secret-0123456789abcdef0123456789';
const MIN = 60_000;
const T0 = Date.parse('2026-11-28T09:00:00Z');
const links = createChartLinks({ secret: SECRET, baseUrl: () => 'https://bot.example' });

const incident: Incident = {
  id: 7,
  groupKey: 'g',
  source: 'alertmanager',
  title: 'GPU 3 on node-7 above 83 °C',
  kind: 'gpu-temperature',
  tier: 'P2',
  status: 'open',
  flapping: false,
  flapCount: 0,
  resource: {},
  acknowledgedBy: null,
  acknowledgedAt: null,
  silenceId: null,
  silencedBy: null,
  silencedUntil: null,
  openedAt: T0 + MIN,
  updatedAt: T0 + MIN,
  resolvedAt: null,
  version: 1,
};
const alert: StoredAlert = {
  alert: classifyAlert(parsed(), defaultPolicy()),
  incidentId: 7,
  firstSeenAt: T0 + MIN,
  lastSeenAt: T0 + MIN,
  resolvedAt: null,
  refireCount: 0,
  receiveCount: 1,
};

function requestOf(url: string, now: number) {
  const token = url.slice('https://bot.example/charts/'.length, -'.png'.length);
  const check = verifyChartToken(token, SECRET, now);
  if (!check.ok) throw new Error(check.reason);
  return check.request;
}

describe('GPU chart on incident cards', () => {
  it('adds an image of the alert node and GPU, marked at the alert time', () => {
    const now = T0 + 10 * MIN + 5_000;
    const extra = gpuAlertChart(links, 'UTC', incident, [alert], now);
    const image = extra?.sections?.[0];
    expect(image).toMatchObject({ kind: 'image', title: 'node-7 GPU 3 around the alert' });
    if (image?.kind !== 'image') throw new Error('no image');
    expect(image.alt).toContain('28 Nov 2026, 09:00 UTC');
    const req = requestOf(image.url, now);
    expect(req).toMatchObject({ node: 'node-7', gpu: 3, marker: { at: T0, label: 'alert fired' } });
    expect(req.end).toBe(T0 + 11 * MIN); // now, rounded up to the minute
    expect(req.end - req.rangeMs).toBeLessThanOrEqual(T0 - 45 * MIN);
    expect(req.expiresAt).toBeGreaterThanOrEqual(now + 7 * 24 * 60 * MIN);
    // The same minute renders the same card.
    expect(gpuAlertChart(links, 'UTC', incident, [alert], now + 20_000)).toEqual(extra);
  });

  it('stops the window shortly after a resolved incident ended', () => {
    const resolved = { ...incident, status: 'resolved' as const, resolvedAt: T0 + 30 * MIN };
    const now = T0 + 300 * MIN;
    const image = gpuAlertChart(links, 'UTC', resolved, [alert], now)?.sections?.[0];
    if (image?.kind !== 'image') throw new Error('no image');
    expect(requestOf(image.url, now).end).toBe(T0 + 35 * MIN);
  });

  it("ends the window after the sender's end time, not when the bot learnt of it", () => {
    // The resolve notification arrived 2 h after Alertmanager's endsAt.
    const resolved = {
      ...incident,
      status: 'resolved' as const,
      startedAt: T0,
      endedAt: T0 + 30 * MIN,
      resolvedAt: T0 + 150 * MIN,
    };
    const now = T0 + 300 * MIN;
    const image = gpuAlertChart(links, 'UTC', resolved, [alert], now)?.sections?.[0];
    if (image?.kind !== 'image') throw new Error('no image');
    expect(requestOf(image.url, now).end).toBe(T0 + 35 * MIN);
  });

  it('leaves other kinds and alerts without a node alone', () => {
    expect(gpuAlertChart(links, 'UTC', { ...incident, kind: 'latency-slo' }, [alert], T0)).toBeUndefined();
    const noNode = { ...alert, alert: { ...alert.alert, resource: {} } };
    expect(gpuAlertChart(links, 'UTC', incident, [noNode], T0)).toBeUndefined();
    const network = { ...incident, kind: 'network' as const, resource: { node: 'node-5' } };
    const image = gpuAlertChart(links, 'UTC', network, [noNode], T0 + MIN)?.sections?.[0];
    expect(image?.kind === 'image' && requestOf(image.url, T0).node).toBe('node-5');
  });

  it('charts the errors on ECC and XID cards: XID, ECC and remap series of the GPU', () => {
    const now = T0 + 10 * MIN;
    for (const kind of ['gpu-ecc', 'gpu-xid'] as const) {
      const image = gpuAlertChart(links, 'UTC', { ...incident, kind }, [alert], now)?.sections?.[0];
      if (image?.kind !== 'image') throw new Error('no image');
      expect(image.title).toBe('node-7 GPU 3 errors around the alert');
      expect(image.alt).toMatch(/^XID, ECC and row-remap errors of node-7 GPU 3 around/);
      expect(requestOf(image.url, now)).toMatchObject({ kind: 'gpu-errors', node: 'node-7', gpu: 3 });
    }
    const hot = gpuAlertChart(links, 'UTC', incident, [alert], now)?.sections?.[0];
    expect(hot?.kind === 'image' && requestOf(hot.url, now).kind).toBe('gpu-node');
  });
});
