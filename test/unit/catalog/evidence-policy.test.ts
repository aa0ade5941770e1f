import { describe, expect, it } from 'vitest';
import { alertKind } from '../../../core/alerts/alert.ts';
import type { Incident } from '../../../core/alerts/incident.ts';
import { EVIDENCE_POLICY, evidenceFor } from '../../../handlers/queries/evidence-policy.ts';
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
