import { describe, expect, it } from 'vitest';
import { alertKind } from '../../../core/alerts/alert.ts';
import type { Incident } from '../../../core/alerts/incident.ts';
import { EVIDENCE_POLICY, evidenceFor } from '../../../handlers/queries/evidence-policy.ts';
import { validateParams } from '../../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';

const NOW = Date.UTC(2026, 10, 28, 14);
const HOUR = 3_600_000;
const incidentOf = (kind: Incident['kind'], resource: Incident['resource'] = {}) =>
  ({ id: 1, kind, status: 'open', resource }) as unknown as Incident;

describe('the evidence policy', () => {
  it('maps the issue’s alert kinds to vetted, non-private queries whose parameters validate', () => {
    expect(evidenceFor(incidentOf('aoai-throttling', { deployment: 'gpt-4o' }), NOW)).toEqual([
      { queryId: 'throttle-rate', params: { deployment: 'gpt-4o', window: '30m', bucket: '5m' } },
    ]);
    expect(evidenceFor(incidentOf('latency-slo'), NOW).map((q) => q.queryId)).toEqual([
      'latency-distribution',
      'pipeline-stage-latency',
      'slowest-traces',
      'deployment-latency-change',
      'queue-depth',
    ]);
    expect(evidenceFor(incidentOf('error-spike'), NOW).map((q) => q.queryId)[0]).toBe('error-spike');
    expect(evidenceFor(incidentOf('outage', { model: 'o3-mini' }), NOW)).toEqual([
      { queryId: 'zero-success', params: { window: '15m', deployment: 'o3-mini' } },
    ]);
    expect(evidenceFor(incidentOf('gpu-temperature'), NOW)).toEqual([]);
    for (const kind of alertKind.options) {
      if (!EVIDENCE_POLICY[kind]) continue;
      for (const q of evidenceFor(incidentOf(kind, { deployment: 'gpt-4o' }), NOW)) {
        const query = KQL_CATALOG.get(q.queryId);
        expect(query, q.queryId).toBeDefined();
        expect(query!.private).toBe(false);
        expect(() => validateParams(query!, q.params)).not.toThrow();
      }
    }
  });

  it("runs over the incident's window: its start minus a look-back, to its end or now", () => {
    const at = (h: number) => new Date(NOW + h * HOUR).toISOString().replace('.000Z', 'Z');
    const open = {
      id: 3,
      kind: 'aoai-throttling',
      status: 'open',
      resource: { deployment: 'gpt-4o' },
      openedAt: NOW - 2 * HOUR + 60_000,
      startedAt: NOW - 2 * HOUR,
      endedAt: null,
      resolvedAt: null,
    } as unknown as Incident;
    expect(evidenceFor(open, NOW)).toEqual([
      {
        queryId: 'throttle-rate',
        params: { deployment: 'gpt-4o', bucket: '5m', start: at(-2.5), end: at(0) },
      },
    ]);
    // Resolved: the same evidence whenever it is collected, a week later too.
    const resolved = {
      ...open,
      status: 'resolved',
      endedAt: NOW - HOUR,
      resolvedAt: NOW - HOUR + 30_000,
    } as Incident;
    const today = evidenceFor(resolved, NOW);
    expect(today[0]!.params).toMatchObject({ start: at(-2.5), end: at(-1) });
    expect(evidenceFor(resolved, NOW + 7 * 24 * HOUR)).toEqual(today);
    // A long incident keeps the newest part its query is bounded for (error-spike's recent ≤ 1 day).
    const long = { ...open, kind: 'error-spike', startedAt: NOW - 72 * HOUR } as Incident;
    expect(evidenceFor(long, NOW)[0]!.params).toMatchObject({ start: at(-24), end: at(0), baseline: '7d' });
    for (const q of [...evidenceFor(open, NOW), ...evidenceFor(long, NOW)])
      expect(() => validateParams(KQL_CATALOG.get(q.queryId)!, q.params)).not.toThrow();
  });
});
