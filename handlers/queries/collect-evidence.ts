import { headlineOf } from '../../cards/templates/query-headline.ts';
import { formatParams, formatResult } from '../../cards/templates/query-result.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import { AppError, UserFacingError } from '../../core/errors.ts';
import type { EvidenceItem, IncidentEvidence } from '../../core/evidence.ts';
import type { LogsBackend, LogsRun } from '../../queries/backends/logs-backend.ts';
import type { EvidenceQuery } from './evidence-policy.ts';

/** Rows of one query's evidence on a card. */
export const EVIDENCE_ROWS = 8;

/** Races a promise against a timer; the timer never keeps the process alive. */
function withBudget<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('EVIDENCE_TIMEOUT', `no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** What a person may read about a failure: user-facing text or the error code, never internals. */
function reasonOf(err: unknown): string {
  if (err instanceof UserFacingError) return err.message;
  if (err instanceof AppError)
    return err.code === 'EVIDENCE_TIMEOUT' ? `timed out (${err.message})` : err.code;
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'the query failed';
}

/**
 * What a card shows of a run: its one-line answer, then the newest rows (the first-ranked, for
 * results without a time column) with units and formatted numbers; "N more" are the older ones.
 */
export function evidenceOutcome(run: LogsRun): EvidenceItem['outcome'] {
  const headline = headlineOf(run);
  return {
    status: 'ok',
    ...(headline ? { headline } : {}),
    ...formatResult(run, EVIDENCE_ROWS),
    partial: run.result.partial,
  };
}

/**
 * Runs an incident's evidence queries, all at once, each within `budgetMs`. A failing or slow
 * query becomes an "unavailable" item with its reason; this never throws.
 */
export async function collectEvidence(
  backend: LogsBackend,
  incident: Incident,
  queries: readonly EvidenceQuery[],
  budgetMs: number,
  now: () => number,
): Promise<IncidentEvidence> {
  const items = await Promise.all(
    queries.map(async (q): Promise<EvidenceItem> => {
      const title = backend.catalog.get(q.queryId)?.title ?? q.queryId;
      const params = Object.entries(q.params);
      try {
        const run = await withBudget(backend.run(q.queryId, q.params, { timeoutMs: budgetMs }), budgetMs);
        return { queryId: q.queryId, title, params: formatParams(run), outcome: evidenceOutcome(run) };
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
