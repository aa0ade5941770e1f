import type { ChartSpecInput } from '../../cards/charts/chart-spec.ts';
import type { LogsRun } from '../../queries/backends/logs-backend.ts';

/** Lines per panel and panels per chart (the chart spec's limits). */
const MAX_SERIES = 8;
const MAX_PANELS = 2;

/**
 * A line chart of a time-series result: one panel per `y` column, one line per value of the
 * `series` column (the busiest first). Undefined when the query is not shown as a line chart or
 * has fewer than two points.
 */
export function buildQueryChart(run: LogsRun, timeZone: string): ChartSpecInput | undefined {
  const show = run.query.show;
  if (show.kind !== 'line' || run.result.rows.length < 2) return undefined;
  const names = run.result.columns.map((c) => c.name);
  const xi = names.indexOf(show.x);
  const si = show.series ? names.indexOf(show.series) : -1;
  if (xi < 0) return undefined;
  const groups = new Map<string, unknown[][]>();
  for (const row of run.result.rows) {
    const key = si >= 0 ? String(row[si] ?? '') : '';
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  const kept = [...groups.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, MAX_SERIES);
  // No panel titles: the chart library draws them over the legend. Lines are named by the series
  // value, or by the column when there is no series column.
  const panels = show.y.slice(0, MAX_PANELS).flatMap((y) => {
    const yi = names.indexOf(y);
    if (yi < 0) return [];
    const series = kept.map(([name, rows]) => ({
      name: (si >= 0 ? name || '(none)' : y).slice(0, 60),
      points: rows
        .map((r): [number, number | null] => [
          Date.parse(String(r[xi])),
          r[yi] === null ? null : Number(r[yi]),
        ])
        .filter(([t, v]) => Number.isFinite(t) && (v === null || Number.isFinite(v)))
        .sort((a, b) => a[0] - b[0]),
    }));
    return [{ unit: show.unit ?? '', series }];
  });
  if (panels.length === 0) return undefined;
  const dropped = groups.size - kept.length;
  const parts = [
    si >= 0 ? `${show.y.slice(0, MAX_PANELS).join(', ')} by ${show.series}` : undefined,
    dropped > 0 ? `${kept.length} busiest of ${groups.size}` : undefined,
  ].filter(Boolean);
  return {
    title: run.query.title,
    subtitle: parts.length ? parts.join(' · ') : undefined,
    timeZone,
    panels,
  };
}
