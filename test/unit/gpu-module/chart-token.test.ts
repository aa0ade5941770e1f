import { describe, expect, it } from 'vitest';
import { type ChartRequest, signChartToken, verifyChartToken } from '../../../cards/charts/chart-token.ts';

const SECRET = 'chart-secret-0123456789abcdef0123456789';
const T = Date.parse('2026-11-28T09:00:00Z');
const request: ChartRequest = {
  v: 1,
  kind: 'gpu-node',
  node: 'node-7',
  gpu: 3,
  rangeMs: 3_600_000,
  end: T,
  expiresAt: T + 3_600_000,
  marker: { at: T - 600_000, label: 'alert fired' },
};

describe('chart tokens', () => {
  it('round-trips a signed request', () => {
    const token = signChartToken(request, SECRET);
    expect(token).toMatch(/^[\w-]+\.[\w-]{43}$/);
    expect(verifyChartToken(token, SECRET, T)).toEqual({ ok: true, request });
  });

  it('refuses a changed payload, another secret and a truncated signature', () => {
    const token = signChartToken(request, SECRET);
    const [, sig] = token.split('.');
    const other = signChartToken({ ...request, node: 'node-3' }, SECRET).split('.')[0];
    expect(verifyChartToken(`${other}.${sig}`, SECRET, T)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyChartToken(token, `${SECRET}x`, T)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verifyChartToken(token.slice(0, -1), SECRET, T)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyChartToken('', SECRET, T)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('expires at expiresAt, not before', () => {
    const token = signChartToken(request, SECRET);
    expect(verifyChartToken(token, SECRET, request.expiresAt - 1).ok).toBe(true);
    expect(verifyChartToken(token, SECRET, request.expiresAt)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('will not sign a request that breaks the schema', () => {
    expect(() => signChartToken({ ...request, node: 'Node 7!' }, SECRET)).toThrow();
    expect(() => signChartToken({ ...request, rangeMs: 1000 }, SECRET)).toThrow();
  });
});
