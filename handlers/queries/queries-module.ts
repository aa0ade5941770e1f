import type { Clock } from '../../bot/clock.ts';
import type { BotServer } from '../../bot/http/server.ts';
import type { Logger } from '../../bot/logger.ts';
import type { BotModule } from '../../bot/module.ts';
import { type ChannelTarget, enqueueIncidentCard } from '../../bot/outbox/enqueue.ts';
import type { Tracing } from '../../bot/tracing.ts';
import { renderChartPng } from '../../cards/charts/render-chart.ts';
import type { LogsBackend, LogsRun } from '../../queries/backends/logs-backend.ts';
import type { Store } from '../../store/store.ts';
import type { Incident } from '../alerts/incident.ts';
import { ChartCache } from './chart-cache.ts';
import { KQL_CHART_PATH, ownUrl, registerKqlChartRoute } from './chart-route.ts';
import { collectEvidence } from './collect-evidence.ts';
import { evidenceFor } from './evidence-policy.ts';
import { evidenceSections } from './evidence-sections.ts';
import { EvidenceStore } from './evidence-store.ts';
import { createKqlCommand } from './kql-command.ts';
import { buildQueryChart } from './query-chart.ts';
import { DEFAULT_QUERY_POLICY, type QueryPolicy, withQueryPolicy } from './query-policy.ts';

export interface QueriesModuleOptions {
  backend: LogsBackend;
  store: Store;
  targets: readonly ChannelTarget[];
  clock: Clock;
  dataDir: string;
  logger: Logger;
  /** Wakes the delivery loop after the card update is queued. */
  onQueued(): void;
  /** Each evidence query must answer within this; default 10 s. */
  budgetMs?: number;
  /** Base of chart links; the listening server's own URL when unset. */
  publicUrl?: string | undefined;
  /** Time zone of chart axes; default UTC. */
  timeZone?: string;
  /** Prices and who may run private queries; default: reviewed prices, nobody authorised. */
  policy?: QueryPolicy;
  /** Evidence collection joins the trace of the intake that opened the incident. */
  tracing?: Tracing;
}

/** Incidents looked at per tick. */
const OPEN_INCIDENTS_PER_TICK = 200;

/**
 * Vetted KQL as a bot module: the `/kql` command, and evidence on incident cards. When a card of
 * an open incident is first rendered (or the periodic tick sees the incident), its evidence
 * queries run in the background within a budget; the result is stored by incident id and a card
 * update is queued. The card itself is never delayed: until evidence arrives it says so.
 */
export function createQueriesModule(options: QueriesModuleOptions): BotModule {
  const { store, targets, clock, logger } = options;
  // Every run of this module (commands and evidence) goes through the policy.
  const backend = withQueryPolicy(options.backend, options.policy ?? DEFAULT_QUERY_POLICY);
  const evidence = new EvidenceStore(options.dataDir);
  const inFlight = new Map<number, Promise<void>>();
  const budgetMs = options.budgetMs ?? 10_000;
  const charts = new ChartCache(clock);
  let server: BotServer | undefined;

  /** Renders a time-series result to PNG and links it; a chart that fails to render is left out. */
  function chartFor(run: LogsRun): { url: string; alt: string } | undefined {
    const base = options.publicUrl ?? (server && ownUrl(server));
    const spec = base ? buildQueryChart(run, options.timeZone ?? 'UTC') : undefined;
    if (!spec) return undefined;
    try {
      const id = charts.put(renderChartPng(spec).png);
      return {
        url: `${base}${KQL_CHART_PATH}/${id}.png`,
        alt: `${run.query.title}, ${run.result.rows.length} points`,
      };
    } catch (err) {
      logger.warn({ err, code: 'KQL_CHART_FAILED', queryId: run.query.id }, 'query chart not rendered');
      return undefined;
    }
  }

  async function collectAndQueue(incident: Incident): Promise<void> {
    if (!evidence.load(incident.id)) {
      const started = clock.now();
      const queries = evidenceFor(incident);
      const collect = () => collectEvidence(backend, incident, queries, budgetMs, () => clock.now());
      const collected = options.tracing
        ? await options.tracing.span(
            'incident.enrich',
            { 'incident.id': incident.id, 'kql.queries': queries.map((q) => q.queryId).join(',') },
            collect,
            options.tracing.incidentContext(incident.id),
          )
        : await collect();
      evidence.save(collected);
      logger.info(
        {
          incidentId: incident.id,
          queries: collected.items.map((i) => `${i.queryId}:${i.outcome.status}`),
          ms: clock.now() - started,
        },
        'incident evidence collected',
      );
    }
    await store.transaction((tx) => enqueueIncidentCard(tx, targets, incident.id, clock.now()));
    options.onQueued();
  }

  /** Starts collecting an incident's evidence once; idempotent and never awaited by a render. */
  function ensureEvidence(incident: Incident): void {
    if (incident.status !== 'open' || inFlight.has(incident.id) || evidence.get(incident.id)) return;
    if (evidenceFor(incident).length === 0) return;
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => collectAndQueue(incident))
      .catch((err) =>
        logger.warn({ err, code: 'EVIDENCE_FAILED', incidentId: incident.id }, 'evidence not stored'),
      )
      .finally(() => inFlight.delete(incident.id));
    inFlight.set(incident.id, job);
  }

  return {
    id: 'queries',
    commands: [createKqlCommand(backend, chartFor)],
    registerRoutes(app) {
      server = app;
      registerKqlChartRoute(app, charts);
    },
    enrichIncidentCard(incident) {
      const stored = evidence.get(incident.id);
      if (stored) return { sections: evidenceSections(stored) };
      if (evidenceFor(incident).length === 0 || incident.status !== 'open') return {};
      ensureEvidence(incident);
      return { sections: [{ kind: 'notice', tone: 'default', text: 'Evidence: running vetted queries…' }] };
    },
    async tick() {
      for (const incident of await store.incidents.listOpen(OPEN_INCIDENTS_PER_TICK))
        ensureEvidence(incident);
    },
    async close() {
      await Promise.all(inFlight.values());
    },
  };
}
