import type { QueryResult } from '../../queries/engine/types.ts';
import { type KqlQuery, timeColumnOf } from '../../queries/kql/define-kql-query.ts';

/**
 * A result's rows newest first by the query's time column (the question at 3 AM is "what is it
 * now?"), so that a card cut at N rows leaves out the oldest. Rows at the same time keep the query's
 * order; results without a time column keep theirs (ranked: the worst first).
 */
export function newestFirst(query: Pick<KqlQuery, 'show' | 'time'>, result: QueryResult): unknown[][] {
  const time = timeColumnOf(query);
  const at = result.columns.findIndex((c) => c.name === time);
  if (at < 0) return result.rows;
  const when = (row: unknown[]) => {
    const t = typeof row[at] === 'string' ? Date.parse(row[at] as string) : Number.NaN;
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  // Each row's time parsed once, not in every comparison (7 days of buckets are thousands of rows).
  // Array sort is stable: ties keep the query's own order.
  return result.rows
    .map((row) => ({ row, t: when(row) }))
    .sort((a, b) => (a.t === b.t ? 0 : b.t - a.t))
    .map((e) => e.row);
}
