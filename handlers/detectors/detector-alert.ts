import type { AlertQuery, ParsedAlert } from '../../core/alerts/alert.ts';
import type { Finding } from './detector.ts';
import type { ConfiguredDetector } from './detectors-policy.ts';

/** The fingerprint of one detector's finding about one subject: the same on every run. */
export function findingFingerprint(detectorId: string, subject: string): string {
  return `detector:${detectorId}:${subject}`.slice(0, 512);
}

/** The fingerprint of a detector's blind spot (it cannot run). */
export function blindSpotFingerprint(detectorId: string): string {
  return `detector:${detectorId}:blind-spot`;
}

function query(text: string): AlertQuery | null {
  return text ? { language: 'kql', text: text.slice(0, 8192) } : null;
}

/**
 * A finding as an alert from the `detector` source, for the one alert pipeline: the detector's
 * kind and tier as labels (policy rules still win), the finding's subject in its identity, so each
 * subject is one incident that resolves on its own. `startsAt` is when the finding was first made.
 */
export function findingAlert(
  c: ConfiguredDetector,
  f: Finding,
  status: ParsedAlert['status'],
  times: { startsAt: number; endsAt: number | null },
  queryText: string,
): ParsedAlert {
  const d = c.detector;
  return {
    source: 'detector',
    fingerprint: findingFingerprint(d.id, f.subject),
    groupKey: `${d.id}|${f.subject}`.slice(0, 2048),
    rule: d.title,
    status,
    sourceSeverity: null,
    summary: f.summary.slice(0, 2048),
    description: f.description.slice(0, 8192),
    labels: {
      ...f.labels,
      alertname: d.id,
      detector: d.id,
      subject: f.subject,
      kind: f.kind ?? d.kind,
      tier: f.tier ?? c.tier,
    },
    annotations: { evidence: d.evidence, condition: d.condition },
    resource: f.resource,
    startsAt: new Date(times.startsAt).toISOString(),
    endsAt: times.endsAt === null ? null : new Date(times.endsAt).toISOString(),
    links: [],
    values: f.values,
    valueText: null,
    details: f.details.slice(0, 32),
    query: query(queryText),
  };
}

/**
 * A detector that cannot run, said once: a P3 alert whose text stays the same while the cause does
 * (a re-delivery of identical text is only counted), resolved by the next run that works.
 */
export function blindSpotAlert(
  c: ConfiguredDetector,
  reason: string,
  status: ParsedAlert['status'],
  times: { startsAt: number; endsAt: number | null },
): ParsedAlert {
  const d = c.detector;
  return {
    source: 'detector',
    fingerprint: blindSpotFingerprint(d.id),
    groupKey: `${d.id}|blind-spot`,
    rule: `${d.title}: cannot run`,
    status,
    sourceSeverity: null,
    summary: `Blind spot: the ${d.title.toLowerCase()} detector cannot run`,
    description: `${reason.slice(0, 1000)} Until it runs again, nobody watches this: ${d.description}`,
    labels: { alertname: `${d.id}-blind-spot`, detector: d.id, kind: 'detector-blind-spot', tier: 'P3' },
    annotations: {},
    resource: {},
    startsAt: new Date(times.startsAt).toISOString(),
    endsAt: times.endsAt === null ? null : new Date(times.endsAt).toISOString(),
    links: [],
    values: {},
    valueText: null,
    details: [{ label: 'Queries', value: d.queries.join(', ') }],
    query: null,
  };
}
