import { z } from 'zod';
import type { ChartSpecInput } from '../../cards/charts/chart-spec.ts';
import type { AvailabilityLine, StatusCardInput } from '../../cards/templates/status-card.ts';
import type { Store } from '../../core/store.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import { budgetScope, type CostPolicy } from '../../queries/cost/cost-policy.ts';
import { amountCell, countCell, resultRows } from '../../queries/cost/result-rows.ts';
import { spendBetween } from '../../queries/cost/spend-report.ts';
import { lifecycleReport } from '../timeline/lifecycle-times.ts';
import type { ViewCharts } from './view-charts.ts';
import { startOfUtcDay, startOfUtcMonth } from './view-range.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The executive view's window: the last day, hourly (the guide's executive refresh). */
export const EXECUTIVE_WINDOW_MS = DAY;
/** MTTA and MTTR are means over the incidents opened in the last 30 days. */
const INCIDENT_WINDOW_MS = 30 * DAY;
const INCIDENTS_READ = 2_000;

const availabilityRow = z.object({
  Deployment: z.string(),
  Requests: countCell,
  Throttled: countCell,
  Errors5xx: countCell,
  Users: countCell,
  Availability: amountCell,
});
const trendRow = z.object({ TimeGenerated: z.string(), Deployment: z.string(), Availability: amountCell });

export interface ExecutiveDeps {
  logs: LogsBackend;
  metrics: MetricsBackend | undefined;
  store: Store;
  cost: CostPolicy;
  slaTarget: number;
  charts: ViewCharts | undefined;
}

/**
 * Gathers the executive view at `now`: availability per deployment and users from the vetted
 * `service-availability` query, the hourly `availability-trend` for the chart, spend today and
 * this month from the cost queries against the policy's total budgets, urgent incidents from the
 * bot's own incident records, and MTTA and MTTR from their timelines.
 */
export async function gatherExecutiveView(
  deps: ExecutiveDeps,
  now: number,
  timeZone: string,
): Promise<StatusCardInput> {
  const started = performance.now();
  const start = new Date(now - EXECUTIVE_WINDOW_MS).toISOString();
  const end = new Date(now).toISOString();
  const backends = { logs: deps.logs, metrics: deps.metrics };
  const todayStart = Math.min(startOfUtcDay(now), now - 60_000);
  const monthStart = Math.min(startOfUtcMonth(now), now - 60_000);
  const [availability, lastHour, trend, today, month, open, recent] = await Promise.all([
    deps.logs.run('service-availability', { start, end, sla: deps.slaTarget }),
    deps.logs.run('service-availability', {
      start: new Date(now - HOUR).toISOString(),
      end,
      sla: deps.slaTarget,
    }),
    deps.logs.run('availability-trend', { start, end, bucket: '1h' }),
    spendBetween(backends, deps.cost, { startMs: todayStart, endMs: now, bucket: '1h' }),
    spendBetween(backends, deps.cost, { startMs: monthStart, endMs: now, bucket: '1d' }),
    deps.store.incidents.listOpen(INCIDENTS_READ),
    deps.store.incidents.listOpenedSince(now - INCIDENT_WINDOW_MS, INCIDENTS_READ),
  ]);
  const queryMs = performance.now() - started;
  const lines = resultRows(availability.result, availabilityRow, 'service-availability');
  const recentLines = new Map(
    resultRows(lastHour.result, availabilityRow, 'service-availability').map((r) => [r.Deployment, r]),
  );
  const toLine = (r: z.output<typeof availabilityRow>): AvailabilityLine => ({
    deployment: r.Deployment,
    requests: r.Requests,
    throttled: r.Throttled,
    errors5xx: r.Errors5xx,
    availability: r.Availability,
    lastHour: recentLines.get(r.Deployment)?.Availability,
  });
  const overallRow = lines.find((r) => r.Deployment === '*');
  const totalBudget = (period: 'daily' | 'monthly') =>
    deps.cost.budgets.find((b) => b.period === period && budgetScope(b).kind === 'total')?.amount;
  // The month's full days before today: their mean day is what today's pace is held against.
  const fullDays = Math.round((startOfUtcDay(now) - startOfUtcMonth(now)) / DAY);
  const elapsed = now - startOfUtcDay(now);
  const chartSpec = availabilityChart(
    resultRows(trend.result, trendRow, 'availability-trend'),
    deps.slaTarget,
    timeZone,
  );
  const chart =
    chartSpec && deps.charts
      ? await deps.charts.render(chartSpec, 'Availability per deployment, last 24 hours, with the SLA line')
      : undefined;
  // From the incidents' timelines: the first acknowledgement and the last resolution.
  const report = await lifecycleReport(deps.store, recent);
  const times = report.overall;
  return {
    time: { timeZone, now },
    windowMs: EXECUTIVE_WINDOW_MS,
    slaTarget: deps.slaTarget,
    currency: deps.cost.currency,
    deployments: lines.filter((r) => r.Deployment !== '*').map(toLine),
    overall: overallRow && toLine(overallRow),
    users: overallRow?.Users ?? 0,
    spendToday: { label: 'today', spent: today.total, budget: totalBudget('daily') },
    spendMonth: { label: 'this month', spent: month.total, budget: totalBudget('monthly') },
    todayPace: elapsed >= HOUR ? (today.total * DAY) / elapsed : undefined,
    dailyMean: fullDays > 0 ? Math.max(0, month.total - today.total) / fullDays : undefined,
    openP1: open.filter((i) => i.tier === 'P1').length,
    openP2: open.filter((i) => i.tier === 'P2').length,
    mttaMs: times.mttaMs,
    mttrMs: times.mttrMs,
    byTier: Object.fromEntries(
      Object.entries(report.byTier).filter(([, t]) => t.incidents > 0),
    ) as StatusCardInput['byTier'],
    incidentWindowMs: INCIDENT_WINDOW_MS,
    chart: chart && { url: chart.url, alt: chart.alt },
    queryMs,
    renderMs: chart?.renderMs,
  };
}

/** One line per deployment (the eight with most points), 0–100 %, with the SLA target as a line. */
function availabilityChart(
  rows: readonly z.output<typeof trendRow>[],
  slaTarget: number,
  timeZone: string,
): ChartSpecInput | undefined {
  const byDeployment = new Map<string, [number, number][]>();
  for (const r of rows) {
    const points = byDeployment.get(r.Deployment) ?? [];
    points.push([Date.parse(r.TimeGenerated), r.Availability]);
    byDeployment.set(r.Deployment, points);
  }
  const series = [...byDeployment.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .slice(0, 8)
    .map(([name, points]) => ({ name: name.slice(0, 60), points: points.sort((a, b) => a[0] - b[0]) }));
  if (series.length === 0) return undefined;
  const lowest = Math.min(...series.flatMap((s) => s.points.map(([, v]) => v)));
  return {
    title: 'Availability per deployment',
    subtitle: `successful share of requests, hourly · SLA ${slaTarget} %`,
    timeZone,
    // A phone shows a narrow chart best; the floor moves down only as far as the worst hour.
    width: 600,
    panels: [
      {
        unit: '%',
        min: Math.max(0, Math.floor(Math.min(lowest, slaTarget) - 1)),
        max: 100,
        series,
        thresholds: [{ value: slaTarget, label: `SLA ${slaTarget} %`, tone: 'critical' }],
      },
    ],
  };
}
