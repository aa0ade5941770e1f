import { headlineOf } from '../../cards/templates/query-headline.ts';
import { formatParams, formatResult } from '../../cards/templates/query-result.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import { AppError, UserFacingError } from '../../core/errors.ts';
import type { EvidenceItem, IncidentEvidence } from '../../core/evidence.ts';
import type { AzureMetricsBackend } from '../../queries/backends/azure-metrics-backend.ts';
import type { LogsBackend, QueryRun } from '../../queries/backends/logs-backend.ts';
import type { EvidenceQuery } from './evidence-policy.ts';

/** Rows of one query's evidence on a card. */
export const EVIDENCE_ROWS = 8;

/**
 * How long an evidence query may wait for a free engine, in budgets: with the run's own budget
 * that is the three budgets a collector's claim lasts (see the queries module's lease).
 */
export const QUEUE_BUDGETS = 2;

/** A run's answer and where its time went: waiting for an engine, then running on it. */
interface Timed<T> {
  value: T;
  queuedMs: number;
  runMs: number;
}

/**
 * Waits for a run started by `start`, at most `queueMs` until it reports that it started and at
 * most `runMs` from then on: on a busy engine a query waits in line behind others, and that wait
 * is not the query's slowness, so it is timed (and bounded) on its own. The timers never keep the
 * process alive.
 */
export function withRunBudget<T>(
  start: (onStarted: () => void) => Promise<T>,
  limits: { runMs: number; queueMs: number },
  now: () => number,
): Promise<Timed<T>> {
  const asked = now();
  let startedAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number, fail: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(fail, ms);
    timer.unref();
  };
  return new Promise<Timed<T>>((resolve, reject) => {
    arm(limits.queueMs, () =>
      reject(
        new AppError('EVIDENCE_QUEUE_TIMEOUT', `no free query engine within ${limits.queueMs / 1000} s`),
      ),
    );
    const onStarted = () => {
      if (startedAt !== undefined) return;
      startedAt = now();
      arm(limits.runMs, () =>
        reject(new AppError('EVIDENCE_TIMEOUT', `no answer within ${limits.runMs / 1000} s`)),
      );
    };
    start(onStarted).then((value) => {
      const end = now();
      const began = startedAt ?? end;
      resolve({ value, queuedMs: began - asked, runMs: end - began });
    }, reject);
  }).finally(() => clearTimeout(timer));
}

/** What a person may read about a failure: user-facing text or the error code, never internals. */
function reasonOf(err: unknown): string {
  if (err instanceof UserFacingError) return err.message;
  if (err instanceof AppError) {
    if (err.code === 'EVIDENCE_TIMEOUT') return `timed out (${err.message})`;
    if (err.code === 'EVIDENCE_QUEUE_TIMEOUT') return `not run: ${err.message}`;
    if (err.code === 'QUERY_CANCELLED') return 'not run: the incident resolved';
    return err.code;
  }
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'the query failed';
}

/**
 * What a card shows of a run: its one-line answer, then the newest rows (the first-ranked, for
 * results without a time column) with units and formatted numbers; "N more" are the older ones.
 */
export function evidenceOutcome(run: QueryRun): EvidenceItem['outcome'] {
  const headline = headlineOf(run);
  return {
    status: 'ok',
    ...(headline ? { headline } : {}),
    ...formatResult(run, EVIDENCE_ROWS),
    partial: run.result.partial,
    ...(run.result.rows.length === 0 && run.query.empty ? { empty: run.query.empty } : {}),
  };
}

/** Starts one evidence query on its source; a metrics request does not queue, so it starts at once. */
function startRun(
  logs: LogsBackend,
  extra: { metrics?: AzureMetricsBackend | undefined; signal?: AbortSignal | undefined },
  q: EvidenceQuery,
  budgetMs: number,
) {
  const { metrics, signal } = extra;
  return async (onStarted: () => void): Promise<QueryRun> => {
    if (q.source !== 'metrics')
      return logs.run(q.queryId, q.params, { timeoutMs: budgetMs, onStarted, ...(signal ? { signal } : {}) });
    if (!metrics)
      throw new UserFacingError('METRICS_NOT_CONFIGURED', 'Azure Monitor metrics are not configured');
    onStarted();
    const timeout = AbortSignal.timeout(budgetMs);
    return metrics.run(q.queryId, q.params, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  };
}

/**
 * Runs an incident's evidence queries, all at once, each within `budgetMs` of running (and
 * {@link QUEUE_BUDGETS} budgets of waiting for an engine); each item says how long it waited and
 * ran. A failing or slow query becomes an "unavailable" item with its reason; this never throws.
 * `signal` withdraws the queries that still wait for an engine (their items say so).
 */
export async function collectEvidence(
  backend: LogsBackend,
  incident: Incident,
  queries: readonly EvidenceQuery[],
  budgetMs: number,
  now: () => number,
  extra: {
    /** Azure Monitor metrics, for the policy's metric evidence (left out by it when absent). */
    metrics?: AzureMetricsBackend | undefined;
    /** Withdraws the queries still waiting (the incident resolved). */
    signal?: AbortSignal | undefined;
  } = {},
): Promise<IncidentEvidence> {
  const items = await Promise.all(
    queries.map(async (q): Promise<EvidenceItem> => {
      const catalog = q.source === 'metrics' ? extra.metrics?.catalog : backend.catalog;
      const title = catalog?.get(q.queryId)?.title ?? q.queryId;
      const params = Object.entries(q.params);
      try {
        const { value: run, ...timing } = await withRunBudget(
          startRun(backend, extra, q, budgetMs),
          { runMs: budgetMs, queueMs: QUEUE_BUDGETS * budgetMs },
          now,
        );
        return {
          queryId: q.queryId,
          title,
          params: formatParams(run),
          outcome: evidenceOutcome(run),
          timing,
        };
      } catch (err) {
        return {
          queryId: q.queryId,
          title,
          params,
          outcome: { status: 'unavailable', reason: reasonOf(err) },
        };
      }
    }),
  );
  return { incidentId: incident.id, collectedAt: now(), items };
}
