import { z } from 'zod';
import type { ChartSpecInput } from '../../cards/charts/chart-spec.ts';
import type { CapacityCardInput } from '../../cards/templates/capacity-card.ts';
import type { ComputeUsagesApi } from '../../queries/azure-quota/compute-usages.ts';
import { isGpuFamily } from '../../queries/azure-quota/compute-usages.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import { budgetScope, type CostPolicy } from '../../queries/cost/cost-policy.ts';
import { countCell, resultRows } from '../../queries/cost/result-rows.ts';
import { spendBetween } from '../../queries/cost/spend-report.ts';
import type { AgentPoolApi } from '../../remediation/executors/azure.ts';
import type { KubeClients } from '../../remediation/executors/kubernetes.ts';
import { readScalingHeadroom } from './scaling-headroom.ts';
import type { ViewCharts } from './view-charts.ts';
import { startOfUtcDay, startOfUtcMonth } from './view-range.ts';
import { fitTrend } from './volume-projection.ts';

const DAY = 86_400_000;
/** The request trend looks back this far (the capacity view's 180-day retention is the store's, not the query's). */
const TREND_MAX_MS = 31 * DAY;
export const PROJECTION_DAYS = [30, 60, 90] as const;

const trendRow = z.object({ TimeGenerated: z.string(), Deployment: z.string(), Requests: countCell });

export interface CapacityDeps {
  logs: LogsBackend;
  metrics: MetricsBackend | undefined;
  cost: CostPolicy;
  /** Compute quota per region: Resource Manager in production, simulated in local mode. */
  usages: ComputeUsagesApi | undefined;
  regions: readonly string[];
  /** The cluster's Kubernetes API (HPAs, nodes) and AKS agent pools, where configured. */
  kube: KubeClients | undefined;
  nodePools: AgentPoolApi | undefined;
  retentionMs: number;
  charts: ViewCharts | undefined;
}

/**
 * Gathers the capacity view at `now`: GPU quota per region (Compute usages), scaling headroom
 * (HPAs and node pools), the daily request volume with its linear trend projected 30/60/90 days,
 * and the month's spend burn rate against the monthly budget with the days it lasts.
 */
export async function gatherCapacityView(
  deps: CapacityDeps,
  now: number,
  timeZone: string,
): Promise<CapacityCardInput> {
  const started = performance.now();
  const today = startOfUtcDay(now);
  const trendStart = Math.max(today - TREND_MAX_MS + DAY, now - deps.retentionMs + DAY, today - 30 * DAY);
  const monthStart = Math.min(startOfUtcMonth(now), now - 60_000);
  const [quota, headroom, volume, month] = await Promise.all([
    deps.usages ? Promise.all(deps.regions.map((r) => deps.usages!.list(r))) : Promise.resolve(undefined),
    deps.kube ? readScalingHeadroom(deps.kube, deps.nodePools) : Promise.resolve(undefined),
    deps.logs.run('availability-trend', {
      start: new Date(trendStart).toISOString(),
      end: new Date(today).toISOString(),
      bucket: '1d',
    }),
    spendBetween({ logs: deps.logs, metrics: deps.metrics }, deps.cost, {
      startMs: monthStart,
      endMs: now,
      bucket: '1d',
    }),
  ]);
  const queryMs = performance.now() - started;
  const perDay = new Map<number, number>();
  for (const r of resultRows(volume.result, trendRow, 'availability-trend')) {
    const day = startOfUtcDay(Date.parse(r.TimeGenerated));
    perDay.set(day, (perDay.get(day) ?? 0) + r.Requests);
  }
  // Full days only: the first may begin after the telemetry does; today is not over.
  const days = [...perDay.entries()]
    .filter(([d]) => d >= trendStart && d < today)
    .sort((a, b) => a[0] - b[0]);
  // Telemetry that begins after the window does (a new workspace, a short retention) begins
  // somewhere in its first day: that day is partial and would bend the trend upwards.
  if (days.length > 0 && days[0]![0] > startOfUtcDay(trendStart)) days.shift();
  const trend = fitTrend(days);
  const projections = trend
    ? PROJECTION_DAYS.map((d) => ({ days: d, requestsPerDay: Math.round(trend.at(today + d * DAY)) }))
    : [];
  const monthly = deps.cost.budgets.find((b) => b.period === 'monthly' && budgetScope(b).kind === 'total');
  const elapsedDays = Math.max((now - startOfUtcMonth(now)) / DAY, 1 / 24);
  const burnPerDay = month.total / elapsedDays;
  const daysLeft =
    monthly && burnPerDay > 0 ? Math.max(0, (monthly.amount - month.total) / burnPerDay) : undefined;
  const chartSpec = days.length ? volumeChart(days, trend, today, timeZone) : undefined;
  const chart =
    chartSpec && deps.charts
      ? await deps.charts.render(chartSpec, 'Requests per day with the 30/60/90-day projection')
      : undefined;
  return {
    time: { timeZone, now },
    currency: deps.cost.currency,
    quota: quota?.map((q) => ({
      region: q.region,
      families: q.usages
        .filter(isGpuFamily)
        .map((u) => ({ name: u.name.localizedValue ?? u.name.value, used: u.currentValue, limit: u.limit })),
    })),
    regionsConfigured: deps.regions.length,
    hpas: headroom?.hpas,
    pools: headroom?.pools,
    nodePoolsConfigured: deps.nodePools !== undefined,
    days: days.length,
    lastDay: days.at(-1)?.[1],
    perDayChange: trend?.perDayChange,
    projections,
    monthSpent: month.total,
    monthBudget: monthly && { name: monthly.name, amount: monthly.amount },
    burnPerDay,
    daysLeft,
    chart: chart && { url: chart.url, alt: chart.alt },
    queryMs,
    renderMs: chart?.renderMs,
  };
}

/** Requests per day, and the trend line from the first day to 90 days ahead (dashed), marked at 30/60/90. */
function volumeChart(
  days: readonly [number, number][],
  trend: ReturnType<typeof fitTrend>,
  today: number,
  timeZone: string,
): ChartSpecInput {
  return {
    title: 'Request volume',
    subtitle: `requests per day, with the linear trend projected ${PROJECTION_DAYS.join('/')} days`,
    timeZone,
    panels: [
      {
        unit: 'req/d',
        min: 0,
        series: [
          { name: 'Requests', points: days.map(([d, v]) => [d, v]) },
          ...(trend
            ? [
                {
                  name: 'Projection',
                  dashed: true,
                  points: [
                    [days[0]![0], Math.round(trend.at(days[0]![0]))] as [number, number],
                    ...PROJECTION_DAYS.map((d): [number, number] => [
                      today + d * DAY,
                      Math.round(trend.at(today + d * DAY)),
                    ]),
                  ],
                },
              ]
            : []),
        ],
      },
    ],
    markers: trend ? PROJECTION_DAYS.map((d) => ({ at: today + d * DAY, label: `+${d} d` })) : [],
  };
}
