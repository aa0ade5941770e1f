import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertKind } from '../../../handlers/alerts/alert.ts';
import type { Incident } from '../../../handlers/alerts/incident.ts';
import { EVIDENCE_POLICY, evidenceFor } from '../../../handlers/queries/evidence-policy.ts';
import { EvidenceStore } from '../../../handlers/queries/evidence-store.ts';
import { validateParams } from '../../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';

const incidentOf = (kind: Incident['kind'], resource: Incident['resource'] = {}) =>
  ({ id: 1, kind, status: 'open', resource }) as unknown as Incident;

describe('the evidence policy', () => {
  it('maps the issue’s alert kinds to vetted, non-private queries whose parameters validate', () => {
    expect(evidenceFor(incidentOf('aoai-throttling', { deployment: 'gpt-4o' }))).toEqual([
      { queryId: 'throttle-rate', params: { deployment: 'gpt-4o', window: '30m', bucket: '5m' } },
    ]);
    expect(evidenceFor(incidentOf('latency-slo')).map((q) => q.queryId)).toEqual(['latency-distribution']);
    expect(evidenceFor(incidentOf('error-spike')).map((q) => q.queryId)[0]).toBe('error-spike');
    expect(evidenceFor(incidentOf('outage', { model: 'o3-mini' }))).toEqual([
      { queryId: 'zero-success', params: { window: '15m', deployment: 'o3-mini' } },
    ]);
    expect(evidenceFor(incidentOf('gpu-temperature'))).toEqual([]);
    for (const kind of alertKind.options) {
      if (!EVIDENCE_POLICY[kind]) continue;
      for (const q of evidenceFor(incidentOf(kind, { deployment: 'gpt-4o' }))) {
        const query = KQL_CATALOG.get(q.queryId);
        expect(query, q.queryId).toBeDefined();
        expect(query!.private).toBe(false);
        expect(() => validateParams(query!, q.params)).not.toThrow();
      }
    }
  });
});

describe('the evidence store', () => {
  it('keeps one JSON file per incident that a new instance (a restarted bot) reads back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-'));
    try {
      const evidence = {
        incidentId: 42,
        collectedAt: 5,
        items: [
          {
            queryId: 'zero-success',
            title: 'Deployments with zero successful requests',
            params: [['window', '15m']] as [string, string][],
            outcome: { status: 'unavailable' as const, reason: 'timed out' },
          },
        ],
      };
      new EvidenceStore(dir).save(evidence);
      const restarted = new EvidenceStore(dir);
      expect(restarted.get(42)).toBeUndefined();
      expect(restarted.load(42)).toEqual(evidence);
      expect(restarted.get(42)).toEqual(evidence);
      expect(restarted.load(43)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
