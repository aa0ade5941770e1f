import type { AlertKind } from '../../core/alerts/alert.ts';
import type { Incident } from '../../core/alerts/incident.ts';

/** One vetted query to run for an incident, with parameters taken from the alert. */
export interface EvidenceQuery {
  queryId: string;
  params: Record<string, string>;
}

/** The deployment the alert is about: the resource's deployment, else its model. */
function deploymentOf(incident: Incident): string {
  return incident.resource.deployment ?? incident.resource.model ?? '*';
}

/**
 * The evidence policy: which vetted queries each alert kind gets, with parameters read from the
 * incident. Kinds without an entry (GPU alerts have their own charts) get no KQL evidence.
 */
export const EVIDENCE_POLICY: Partial<Record<AlertKind, (incident: Incident) => EvidenceQuery[]>> = {
  'aoai-throttling': (i) => [
    { queryId: 'throttle-rate', params: { deployment: deploymentOf(i), window: '30m', bucket: '5m' } },
  ],
  'latency-slo': (i): EvidenceQuery[] => [
    { queryId: 'latency-distribution', params: { window: '1h' } },
    ...(deploymentOf(i) === '*'
      ? []
      : [{ queryId: 'model-version-comparison', params: { deployment: deploymentOf(i), window: '24h' } }]),
  ],
  'error-spike': (): EvidenceQuery[] => [
    { queryId: 'error-spike', params: { recent: '1h', baseline: '7d' } },
    { queryId: 'top-failing-operations', params: { window: '1h', limit: '5' } },
  ],
  outage: (i) => [{ queryId: 'zero-success', params: { window: '15m', deployment: deploymentOf(i) } }],
  'quota-approaching': (i) => [
    { queryId: 'tpm-vs-quota', params: { window: '1h', deployment: deploymentOf(i) } },
  ],
};

/** The evidence queries of an incident (empty when its kind has none). */
export function evidenceFor(incident: Incident): EvidenceQuery[] {
  return EVIDENCE_POLICY[incident.kind]?.(incident) ?? [];
}
