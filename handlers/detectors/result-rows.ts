import type { LogsRun } from '../../queries/backends/logs-backend.ts';

/** A result's rows as objects by column name: what a detector's condition reads. */
export function rowsOf(run: LogsRun): Record<string, unknown>[] {
  const names = run.result.columns.map((c) => c.name);
  return run.result.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
}

/** A cell as a number (0 when empty). */
export function num(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** A cell as text ('' when empty). */
export function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** A share as a percentage with two decimals: "5.08 %". */
export function pct(share: number): string {
  return `${(100 * share).toFixed(2)} %`;
}

/** A p-value as people read it: "p < 0.0001" or "p = 0.003". */
export function pValue(p: number): string {
  return p < 0.0001 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`;
}
