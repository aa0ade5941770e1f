import type { Tone } from '../../core/message.ts';
import type { QueryRun } from '../../queries/backends/logs-backend.ts';
import { timeColumnOf } from '../../queries/kql/define-kql-query.ts';
import { type ColumnFormat, formatCell, formatValue, timespanMs } from './result-format.ts';
import { newestFirst } from './result-order.ts';

/** The one-line answer of a result, and whether it is bad news (`attention`) or not (`good`). */
export interface Headline {
  text: string;
  tone: Tone;
}

/** How a value stands against a reference: the words, and whether it is on the bad side. */
function compare(value: number, reference: number, worse: 'higher' | 'lower') {
  const side = value > reference ? 'above' : value < reference ? 'below' : 'at';
  const bad = worse === 'higher' ? value > reference : value < reference;
  return { side, bad };
}

/**
 * The query's headline, e.g. "P95 latency 2,807 ms on chat-api — above the 2,000 ms threshold":
 * the headline column's value in the newest rows (dated results) or all rows (ranked results),
 * taking the worst of them, with its unit, the row it comes from, and how it stands against the
 * threshold (fixed or the run's parameter) and the baseline column. Undefined when no row has a value.
 */
export function headlineOf(run: Pick<QueryRun, 'query' | 'result' | 'params'>): Headline | undefined {
  const { query, result } = run;
  const h = query.headline;
  const index = (name: string | undefined) =>
    name === undefined ? -1 : result.columns.findIndex((c) => c.name === name);
  const meta = (name: string): ColumnFormat => {
    const declared = query.columns.find((c) => c.name === name);
    return declared ?? result.columns.find((c) => c.name === name);
  };
  const col = index(h.column);
  if (col < 0) return undefined;
  const format = meta(h.column);
  const numberOf = (v: unknown) =>
    format?.type === 'timespan' ? timespanMs(v) : typeof v === 'number' && Number.isFinite(v) ? v : undefined;

  let rows = newestFirst(query, result);
  const time = index(timeColumnOf(query));
  if (time >= 0) rows = rows.filter((r) => r[time] === rows[0]?.[time]);
  const sign = h.worse === 'higher' ? 1 : -1;
  let worst: { row: unknown[]; value: number } | undefined;
  for (const row of rows) {
    const value = numberOf(row[col]);
    if (value !== undefined && (worst === undefined || sign * value > sign * worst.value))
      worst = { row, value };
  }
  if (!worst) return undefined;

  let text = `${h.label} ${formatValue(worst.value, format)}`;
  const by = index(h.by);
  const name = by >= 0 ? worst.row[by] : undefined;
  if (name !== null && name !== undefined && name !== '') text += ` on ${String(name).slice(0, 80)}`;
  if (query.show.kind === 'line' && time >= 0) text += ` at ${formatCell('datetime', worst.row[time])}`;

  const clauses: string[] = [];
  let bad = false;
  const threshold = typeof h.threshold === 'object' ? numberOf(run.params[h.threshold.param]) : h.threshold;
  if (threshold !== undefined) {
    const c = compare(worst.value, threshold, h.worse);
    bad ||= c.bad;
    clauses.push(`${c.side} the ${formatValue(threshold, format)} threshold`);
  }
  const baseline = index(h.baseline) >= 0 ? numberOf(worst.row[index(h.baseline)]) : undefined;
  if (baseline !== undefined) {
    const c = compare(worst.value, baseline, h.worse);
    bad ||= c.bad;
    const ratio =
      baseline > 0 && c.side !== 'at'
        ? ` (${formatValue(worst.value / baseline, { type: 'real', unit: '×', decimals: 1 })})`
        : '';
    clauses.push(`${c.side} the ${formatValue(baseline, meta(h.baseline!))} baseline${ratio}`);
  }
  if (clauses.length) text += ` — ${clauses.join('; ')}`;
  return { text, tone: bad ? 'attention' : 'good' };
}
