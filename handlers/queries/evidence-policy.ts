import type { AlertKind } from '../../core/alerts/alert.ts';
import { type Incident, incidentEnd, incidentStart } from '../../core/alerts/incident.ts';
import { parseDuration } from '../../core/duration.ts';
import { METRIC_CATALOG } from '../../queries/azure-metrics/catalog.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import { formatDatetime } from '../../queries/engine/literals.ts';
import type { LogSource } from '../../queries/kql/log-sources.ts';
import { maxSpanOf } from '../../queries/params.ts';

/** One vetted query to run for an incident, with parameters taken from the alert. */
export interface EvidenceQuery {
  /** Vetted KQL (the default) or a vetted Azure Monitor metric query. */
  source?: 'metrics';
  queryId: string;
  params: Record<string, string>;
}

/** The deployment the alert is about: the resource's deployment, else its model; empty for all. */
function deploymentOf(incident: Incident): string {
  return incident.resource.deployment ?? incident.resource.model ?? '';
}

/** One evidence query before its window is placed: `lookBack` is how far before the start it reaches. */
interface EvidenceSpec {
  source?: 'metrics';
  queryId: string;
  lookBack: string;
  /** The relative parameter the look-back fills when the incident has no start (`window`, `recent`). */
  windowParam?: 'window' | 'recent';
  params?: Record<string, string>;
}

/**
 * The evidence policy: which vetted queries each alert kind gets, with parameters read from the
 * incident. Kinds without an entry (GPU alerts have their own charts) get no KQL evidence.
 */
export const EVIDENCE_POLICY: Partial<Record<AlertKind, (incident: Incident) => EvidenceSpec[]>> = {
  'aoai-throttling': (i): EvidenceSpec[] => [
    { queryId: 'throttle-rate', lookBack: '30m', params: { deployment: deploymentOf(i), bucket: '5m' } },
    {
      queryId: 'aoai-resource-errors',
      lookBack: '30m',
      params: { deployment: deploymentOf(i), bucket: '5m' },
    },
    // The gateway's view: who consumes the deployment, and whom its policies turned away.
    { queryId: 'apim-tokens-by-subscription', lookBack: '30m', params: { deployment: deploymentOf(i) } },
    { queryId: 'apim-policy-rejections', lookBack: '30m' },
    // The resource's tokens per minute against its quota, from the exported platform metrics.
    { queryId: 'aoai-exported-volume', lookBack: '30m', params: { bucket: '5m' } },
    // The resource's own count (429s the application never logged) and, on PTU, its saturation.
    {
      source: 'metrics',
      queryId: 'aoai-requests-by-status',
      lookBack: '30m',
      params: { deployment: deploymentOf(i), interval: '5m' },
    },
    {
      source: 'metrics',
      queryId: 'aoai-ptu-utilization',
      lookBack: '30m',
      params: { deployment: deploymentOf(i), interval: '5m' },
    },
  ],
  'latency-slo': (i): EvidenceSpec[] => [
    { queryId: 'latency-distribution', lookBack: '1h' },
    ...(deploymentOf(i) === ''
      ? []
      : [{ queryId: 'model-version-comparison', lookBack: '24h', params: { deployment: deploymentOf(i) } }]),
    // Which stage got slow, the slowest traces behind the alert, the rollout that lined up with
    // it, and the queue that backs up behind slow answers.
    { queryId: 'pipeline-stage-latency', lookBack: '1h', params: { deployment: deploymentOf(i) } },
    { queryId: 'slowest-traces', lookBack: '1h', params: { deployment: deploymentOf(i), limit: '5' } },
    { queryId: 'deployment-latency-change', lookBack: '24h', params: { deployment: deploymentOf(i) } },
    { queryId: 'queue-depth', lookBack: '1h' },
  ],
  'error-spike': (): EvidenceSpec[] => [
    { queryId: 'error-spike', lookBack: '1h', windowParam: 'recent', params: { baseline: '7d' } },
    { queryId: 'top-failing-operations', lookBack: '1h', params: { limit: '5' } },
  ],
  outage: (i) => [{ queryId: 'zero-success', lookBack: '15m', params: { deployment: deploymentOf(i) } }],
  'quota-approaching': (i) => [
    { queryId: 'tpm-vs-quota', lookBack: '1h', params: { deployment: deploymentOf(i) } },
  ],
  // The drift detector's incidents: the before/after quality per version, then latency and errors.
  'model-regression': (i) => [
    { queryId: 'model-quality', lookBack: '7d', params: { deployment: deploymentOf(i) } },
    { queryId: 'model-version-comparison', lookBack: '7d', params: { deployment: deploymentOf(i) } },
  ],
  'data-freshness': () => [{ queryId: 'pipeline-freshness', lookBack: '2d' }],
  // Cost incidents (the budget watch's, Azure budget alerts): token cost per team over the day before.
  'cost-runaway': (i) => [
    { queryId: 'cost-per-team', lookBack: '24h', params: { deployment: deploymentOf(i) } },
  ],
  'cost-forecast': (i) => [
    { queryId: 'cost-per-team', lookBack: '24h', params: { deployment: deploymentOf(i) } },
  ],
  // App roles and operations only: who sent them is the private query, for direct messages.
  abuse: (i) => [
    { queryId: 'prompt-injection', lookBack: '1h', params: { app_role: i.resource.appRole ?? '' } },
  ],
};

/**
 * Places one query on the incident's window: from its start minus the look-back to its end (now,
 * while it is open), as absolute `start`/`end`, so the evidence of a resolved incident is the same
 * whenever it is collected or shown. A window longer than the query's bound keeps its newest part.
 * An incident without a known start gets the relative look-back, as before.
 */
function placed(spec: EvidenceSpec, incident: Incident, now: number): EvidenceQuery {
  const filters = Object.fromEntries(Object.entries(spec.params ?? {}).filter(([, v]) => v !== ''));
  const lookBack = parseDuration(spec.lookBack)!;
  const startedAt = incidentStart(incident);
  const source = spec.source ? { source: spec.source } : {};
  if (!Number.isFinite(startedAt))
    return {
      ...source,
      queryId: spec.queryId,
      params: { ...filters, [spec.windowParam ?? 'window']: spec.lookBack },
    };
  const end = Math.min(incidentEnd(incident) ?? now, now);
  const catalog = spec.source === 'metrics' ? METRIC_CATALOG : KQL_CATALOG;
  const bound = maxSpanOf(catalog.get(spec.queryId)!.params) ?? lookBack;
  const start = Math.max(startedAt - lookBack, end - bound);
  return {
    ...source,
    queryId: spec.queryId,
    params: { ...filters, start: formatDatetime(start), end: formatDatetime(end) },
  };
}

/**
 * The evidence queries of an incident at `now` (empty when its kind has none), from the sources
 * there are: metric evidence only where Azure Monitor metrics are configured, resource-log
 * evidence only where the workspace has those logs: the richest evidence available, nothing that
 * would only fail.
 */
export function evidenceFor(
  incident: Incident,
  now: number,
  sources: EvidenceSources = APP_INSIGHTS_ONLY,
): EvidenceQuery[] {
  return (EVIDENCE_POLICY[incident.kind]?.(incident) ?? [])
    .filter((spec) =>
      spec.source === 'metrics'
        ? sources.metrics
        : sources.logSources.includes(KQL_CATALOG.get(spec.queryId)!.source),
    )
    .map((spec) => placed(spec, incident, now));
}

/** What evidence may read: Azure Monitor metrics or not, and the workspace's log sources. */
export interface EvidenceSources {
  metrics: boolean;
  logSources: readonly LogSource[];
}

const APP_INSIGHTS_ONLY: EvidenceSources = { metrics: false, logSources: ['app-insights'] };
