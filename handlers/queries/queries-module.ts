import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ChartCache } from '../../cards/charts/chart-cache.ts';
import { type ChartRenderer, inlineChartRenderer } from '../../cards/charts/chart-renderer.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import { BOT_ACTOR, type NewTimelineEvent } from '../../core/alerts/timeline.ts';
import type { Clock } from '../../core/clock.ts';
import { EvidenceCache, type IncidentEvidence } from '../../core/evidence.ts';
import type { Logger } from '../../core/logger.ts';
import { type ChannelTarget, enqueueIncidentCard } from '../../core/outbox/enqueue.ts';
import type { Store } from '../../core/store.ts';
import type { Tracing } from '../../core/tracing.ts';
import type { AzureMetricsBackend } from '../../queries/backends/azure-metrics-backend.ts';
import type { LogsBackend, LogsRun } from '../../queries/backends/logs-backend.ts';
import type { EvidenceRepo } from '../../store/evidence/evidence-repo.ts';
import type { BotModule } from '../module.ts';
import { KQL_CHART_PATH, ownUrl, registerKqlChartRoute } from './chart-route.ts';
import { collectEvidence } from './collect-evidence.ts';
import { importEvidenceFiles } from './evidence-import.ts';
import { evidenceFor } from './evidence-policy.ts';
import { evidenceSections } from './evidence-sections.ts';
import { createEvidenceSync } from './evidence-sync.ts';
import { createKqlCommand } from './kql-command.ts';
import { buildQueryChart } from './query-chart.ts';
import { DEFAULT_QUERY_POLICY, type QueryPolicy, withQueryPolicy } from './query-policy.ts';

export interface QueriesModuleOptions {
  backend: LogsBackend;
  /** Azure Monitor metrics, for the metric evidence of the policy; left out when absent. */
  metrics?: AzureMetricsBackend | undefined;
  store: Store;
  targets: readonly ChannelTarget[];
  clock: Clock;
  /** Evidence shared by the replicas: see {@link openEvidenceRepo}. Closed with the module. */
  evidence: EvidenceRepo;
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
  /** Renders query charts (worker threads in the bot); on the calling thread by default. */
  charts?: ChartRenderer;
}

/** Incidents looked at per tick. */
const OPEN_INCIDENTS_PER_TICK = 200;

/**
 * How long a claim to collect holds against other replicas: the queries run at once, each within
 * the budget, so a collector that has not saved after three budgets has died or hung.
 */
const leaseFor = (budgetMs: number) => 3 * budgetMs;

/**
 * Vetted KQL as a bot module: the `/kql` command, and evidence on incident cards. When a card of
 * an open incident is first rendered (or the periodic tick sees the incident), one replica claims
 * its evidence in the shared repo and runs the queries in the background within a budget; the
 * result is saved by incident id and a card update is queued. Renders read this replica's cache,
 * which each tick fills with what any replica saved since. The card itself is never delayed: until
 * evidence arrives it says so, and a replica that said so queues an update once it has it.
 */
export function createQueriesModule(options: QueriesModuleOptions): BotModule {
  const { store, targets, clock, logger, evidence: repo } = options;
  // Every run of this module (commands and evidence) goes through the policy.
  const backend = withQueryPolicy(options.backend, options.policy ?? DEFAULT_QUERY_POLICY, () =>
    options.clock.now(),
  );
  const sources = {
    metrics: options.metrics !== undefined,
    logSources: (options.policy ?? DEFAULT_QUERY_POLICY).logSources,
  };
  const cache = new EvidenceCache();
  const sync = createEvidenceSync(repo, cache);
  /** Identifies this replica's claims (for whoever reads the table). */
  const owner = randomUUID();
  /** Evidence runs in progress, by incident: the job, and how to withdraw its waiting queries. */
  const inFlight = new Map<number, { job: Promise<void>; controller: AbortController }>();
  /** Incidents whose card this replica rendered without evidence: they get an update when it arrives. */
  const shownPending = new Set<number>();
  const budgetMs = options.budgetMs ?? 10_000;
  const charts = new ChartCache(clock);
  const renderer = options.charts ?? inlineChartRenderer;
  let server: FastifyInstance | undefined;

  /** Renders a time-series result to PNG and links it; a chart that fails to render is left out. */
  async function chartFor(run: LogsRun): Promise<{ url: string; alt: string } | undefined> {
    const base = options.publicUrl ?? (server && ownUrl(server));
    const spec = base ? buildQueryChart(run, options.timeZone ?? 'UTC') : undefined;
    if (!spec) return undefined;
    try {
      const id = charts.put(await renderer.render(spec));
      return {
        url: `${base}${KQL_CHART_PATH}/${id}.png`,
        alt: `${run.query.title}, ${run.result.rows.length} points`,
      };
    } catch (err) {
      logger.warn({ err, code: 'KQL_CHART_FAILED', queryId: run.query.id }, 'query chart not rendered');
      return undefined;
    }
  }

  async function queueCardUpdates(
    incidentIds: readonly number[],
    attached?: IncidentEvidence,
  ): Promise<void> {
    if (incidentIds.length === 0) return;
    await store.transaction(async (tx) => {
      // The timeline records the evidence with the card update that shows it.
      if (attached) await tx.timeline.record(evidenceEvent(attached, clock.now()));
      for (const id of incidentIds) await enqueueIncidentCard(tx, targets, id, clock.now());
    });
    options.onQueued();
  }

  /** Evidence reached this replica's cache: cards it rendered without it get an update. */
  function arrived(incidentIds: readonly number[]): Promise<void> {
    return queueCardUpdates(incidentIds.filter((id) => shownPending.delete(id)));
  }

  async function collect(incident: Incident, signal: AbortSignal) {
    const queries = evidenceFor(incident, clock.now(), sources);
    const run = () =>
      collectEvidence(backend, incident, queries, budgetMs, () => clock.now(), {
        metrics: options.metrics,
        signal,
      });
    return options.tracing
      ? options.tracing.span(
          'incident.enrich',
          { 'incident.id': incident.id, 'kql.queries': queries.map((q) => q.queryId).join(',') },
          run,
          options.tracing.incidentContext(incident.id),
        )
      : run();
  }

  async function collectAndQueue(incident: Incident, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const claim = await repo.claim(incident.id, owner, clock.now(), leaseFor(budgetMs));
    if (claim.status === 'held') return; // another replica collects; its save reaches us on a tick
    if (claim.status === 'done') {
      cache.put(claim.evidence);
      await arrived([incident.id]);
      return;
    }
    const started = clock.now();
    const collected = await collect(incident, signal);
    if (signal.aborted) {
      // Resolved meanwhile: what did not run is not evidence, and its card shows none. The claim
      // lapses on its own; nobody claims evidence for a resolved incident.
      logger.info(
        { incidentId: incident.id, ms: clock.now() - started },
        'incident evidence withdrawn: the incident resolved',
      );
      return;
    }
    await repo.save(collected, clock.now());
    cache.put(collected);
    shownPending.delete(incident.id);
    logger.info(
      {
        incidentId: incident.id,
        queries: collected.items.map((i) => `${i.queryId}:${i.outcome.status}`),
        ms: clock.now() - started,
        // Waiting for a free engine apart from running: a slow answer on a busy engine is not a slow query.
        queuedMs: Math.max(0, ...collected.items.map((i) => i.timing?.queuedMs ?? 0)),
        runMs: Math.max(0, ...collected.items.map((i) => i.timing?.runMs ?? 0)),
      },
      'incident evidence collected',
    );
    // Every surface gets the evidence, whichever replica delivers the update.
    await queueCardUpdates([incident.id], collected);
  }

  /** Starts collecting an incident's evidence once; idempotent and never awaited by a render. */
  function ensureEvidence(incident: Incident): void {
    if (incident.status !== 'open' || inFlight.has(incident.id) || cache.get(incident.id)) return;
    if (evidenceFor(incident, clock.now(), sources).length === 0) return;
    const controller = new AbortController();
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => collectAndQueue(incident, controller.signal))
      .catch((err) =>
        logger.warn({ err, code: 'EVIDENCE_FAILED', incidentId: incident.id }, 'evidence not stored'),
      )
      .finally(() => inFlight.delete(incident.id));
    inFlight.set(incident.id, { job, controller });
  }

  /** An incident that is no longer open needs no evidence: its queries still waiting are withdrawn. */
  function withdrawEvidence(incident: Incident): void {
    if (incident.status !== 'open') inFlight.get(incident.id)?.controller.abort();
  }

  return {
    id: 'queries',
    commands: [createKqlCommand(backend, chartFor)],
    registerRoutes(app) {
      server = app;
      registerKqlChartRoute(app, charts);
    },
    enrichIncidentCard(incident) {
      withdrawEvidence(incident);
      const stored = cache.get(incident.id);
      if (stored) return { sections: evidenceSections(stored) };
      if (evidenceFor(incident, clock.now(), sources).length === 0 || incident.status !== 'open') return {};
      shownPending.add(incident.id);
      ensureEvidence(incident);
      return { sections: [{ kind: 'notice', tone: 'default', text: 'Evidence: running vetted queries…' }] };
    },
    async tick() {
      // First what other replicas saved, so that their incidents are not claimed in vain.
      await arrived(await sync.refresh());
      // Resolved since their runs began (on any replica): their queries waiting for an engine go.
      for (const id of [...inFlight.keys()]) {
        const incident = await store.incidents.get(id);
        if (incident) withdrawEvidence(incident);
      }
      for (const incident of await store.incidents.listOpen(OPEN_INCIDENTS_PER_TICK))
        ensureEvidence(incident);
    },
    async close() {
      await Promise.all([...inFlight.values()].map((f) => f.job));
      await repo.close();
    },
  };
}

/**
 * The store's evidence table (shared by the replicas on PostgreSQL, so an incident's queries run
 * once across replicas and every replica shows the result), with the evidence files of older
 * versions under `<dataDir>/evidence/` imported on the way (and left in place).
 */
export async function openEvidenceRepo(
  repo: EvidenceRepo,
  from: { dataDir: string; now: number; logger: Logger },
): Promise<EvidenceRepo> {
  await importEvidenceFiles(from.dataDir, repo, from.now, from.logger);
  return repo;
}

/** The evidence's step on the timeline: which vetted queries ran and how each came out. */
function evidenceEvent(evidence: IncidentEvidence, at: number): NewTimelineEvent {
  return {
    incidentId: evidence.incidentId,
    at,
    type: 'evidence-attached',
    actor: BOT_ACTOR,
    actorName: null,
    detail: evidence.items.map((i) => `${i.queryId}: ${i.outcome.status}`).join(', '),
  };
}
