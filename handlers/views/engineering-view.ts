import { z } from 'zod';
import type { EngineeringCardInput } from '../../cards/templates/engineering-card.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import { type MetricsBackend, runGpuRange } from '../../queries/backends/metrics-backend.ts';
import { amountCell, countCell, resultRows } from '../../queries/cost/result-rows.ts';
import { gpuNodeUtilisation } from '../../queries/gpu/node-utilisation.ts';
import { errorCharts, errorSpikes, gpuHeatmap, latencyChart, throughputChart } from './engineering-charts.ts';
import type { ViewChart, ViewCharts } from './view-charts.ts';

const MINUTE = 60_000;
/** The engineering view's window and resolution: the last hour in 5-minute buckets, always current. */
export const ENGINEERING_WINDOW_MS = 60 * MINUTE;
const BUCKET = '5m';
/** The heatmap's columns: two minutes each, thirty across the hour. */
const HEATMAP_STEP_MS = 2 * MINUTE;

const latencyRow = z.object({
  TimeGenerated: z.string(),
  Deployment: z.string(),
  Requests: countCell,
  P50: amountCell,
  P95: amountCell,
  P99: amountCell,
});
const errorRow = z.object({
  TimeGenerated: z.string(),
  OperationName: z.string(),
  Requests: countCell,
  Errors4xx: countCell,
  Errors5xx: countCell,
  Rate4xx: amountCell,
  Rate5xx: amountCell,
});
const throughputRow = z.object({
  TimeGenerated: z.string(),
  Deployment: z.string(),
  Requests: countCell,
  Tokens: countCell,
  RequestsPerSec: amountCell,
  TokensPerSec: amountCell,
});
export type LatencyRow = z.output<typeof latencyRow>;
export type ErrorRow = z.output<typeof errorRow>;
export type ThroughputRow = z.output<typeof throughputRow>;

export interface EngineeringDeps {
  logs: LogsBackend;
  metrics: MetricsBackend | undefined;
  latencySloMs: number;
  charts: ViewCharts | undefined;
}

/**
 * Gathers the engineering view at `now` (optionally for one deployment): latency percentiles per
 * deployment, 4xx/5xx per endpoint and throughput per model from the vetted queries, and the GPU
 * utilisation per node from the DCGM metrics, each drawn through the chart pipeline.
 */
export async function gatherEngineeringView(
  deps: EngineeringDeps,
  now: number,
  timeZone: string,
  deployment: string | undefined,
): Promise<EngineeringCardInput> {
  const started = performance.now();
  const range = {
    start: new Date(now - ENGINEERING_WINDOW_MS).toISOString(),
    end: new Date(now).toISOString(),
    ...(deployment ? { deployment } : {}),
  };
  const [latency, latencyWindow, errors, throughput, gpu] = await Promise.all([
    deps.logs.run('latency-percentiles', { ...range, bucket: BUCKET }),
    // A bucket as long as the window: one row per deployment for the table.
    deps.logs.run('latency-percentiles', { ...range, bucket: '1h' }),
    deps.logs.run('endpoint-errors', { ...range, bucket: BUCKET }),
    deps.logs.run('model-traffic', { ...range, bucket: BUCKET }),
    deps.metrics
      ? runGpuRange(
          deps.metrics,
          gpuNodeUtilisation,
          { rangeMs: ENGINEERING_WINDOW_MS, stepMs: HEATMAP_STEP_MS },
          { at: now },
        )
      : Promise.resolve(undefined),
  ]);
  const queryMs = performance.now() - started;
  const latencyRows = resultRows(latency.result, latencyRow, 'latency-percentiles');
  const errorRows = resultRows(errors.result, errorRow, 'endpoint-errors');
  const throughputRows = resultRows(throughput.result, throughputRow, 'model-traffic');
  const spikes = errorSpikes(errorRows);
  const specs = [
    gpu?.util?.length
      ? {
          spec: gpuHeatmap(gpu.util, now - ENGINEERING_WINDOW_MS, now, HEATMAP_STEP_MS, timeZone),
          alt: 'GPU utilisation per node, last hour (heatmap)',
        }
      : undefined,
    latencyRows.length
      ? {
          spec: latencyChart(latencyRows, deps.latencySloMs, timeZone, deployment),
          alt: 'P50, P95 and P99 latency per deployment, last hour, with the SLO line',
        }
      : undefined,
    errorRows.length
      ? { spec: errorCharts(errorRows, spikes, timeZone), alt: '4xx and 5xx share per endpoint, last hour' }
      : undefined,
    throughputRows.length
      ? { spec: throughputChart(throughputRows, timeZone), alt: 'Requests and tokens per second per model' }
      : undefined,
  ];
  const renderStarted = performance.now();
  const charts: ViewChart[] = [];
  if (deps.charts)
    for (const c of await Promise.all(specs.map((s) => (s ? deps.charts!.render(s.spec, s.alt) : undefined))))
      if (c) charts.push(c);
  const renderMs = charts.length ? performance.now() - renderStarted : undefined;
  return {
    time: { timeZone, now },
    windowMs: ENGINEERING_WINDOW_MS,
    deployment,
    latencySloMs: deps.latencySloMs,
    latency: resultRows(latencyWindow.result, latencyRow, 'latency-percentiles').map((r) => ({
      deployment: r.Deployment,
      requests: r.Requests,
      p50: r.P50,
      p95: r.P95,
      p99: r.P99,
    })),
    endpoints: endpointTotals(errorRows),
    spikes: spikes.map((s) => ({ endpoint: s.endpoint, at: s.at, rate: s.rate, kind: s.kind })),
    throughput: latestThroughput(throughputRows),
    gpuNodes: gpu?.util?.length,
    charts: charts.map((c) => ({ url: c.url, alt: c.alt })),
    queryMs,
    renderMs,
  };
}

/** Requests and errors per endpoint over the window, most errors first. */
function endpointTotals(rows: readonly ErrorRow[]): EngineeringCardInput['endpoints'] {
  const by = new Map<string, { endpoint: string; requests: number; errors4xx: number; errors5xx: number }>();
  for (const r of rows) {
    const e = by.get(r.OperationName) ?? {
      endpoint: r.OperationName,
      requests: 0,
      errors4xx: 0,
      errors5xx: 0,
    };
    e.requests += r.Requests;
    e.errors4xx += r.Errors4xx;
    e.errors5xx += r.Errors5xx;
    by.set(r.OperationName, e);
  }
  return [...by.values()].sort(
    (a, b) => b.errors4xx + b.errors5xx - (a.errors4xx + a.errors5xx) || a.endpoint.localeCompare(b.endpoint),
  );
}

/** Requests/s and tokens/s per model in the last full bucket (the newest may be partial). */
function latestThroughput(rows: readonly ThroughputRow[]): EngineeringCardInput['throughput'] {
  const times = [...new Set(rows.map((r) => r.TimeGenerated))].sort();
  const at = times.length > 1 ? times.at(-2) : times.at(-1);
  return rows
    .filter((r) => r.TimeGenerated === at)
    .map((r) => ({
      deployment: r.Deployment,
      requestsPerSec: r.RequestsPerSec,
      tokensPerSec: r.TokensPerSec,
    }))
    .sort((a, b) => b.tokensPerSec - a.tokensPerSec);
}
