import type { ChartRenderer } from '../../cards/charts/chart-renderer.ts';
import type { ChartRequest } from '../../cards/charts/chart-token.ts';
import { buildGpuErrorChart } from '../../cards/charts/gpu-error-chart.ts';
import { buildGpuNodeChart, type GpuNodeHistory } from '../../cards/charts/gpu-node-chart.ts';
import { formatTime } from '../../cards/templates/format.ts';
import { formatDuration } from '../../core/duration.ts';
import { UserFacingError } from '../../core/errors.ts';
import { type MetricsBackend, runGpuInstant, runGpuRange } from '../../queries/backends/metrics-backend.ts';
import { gpuErrorHistory, gpuNodeHistory, gpuNodeState } from '../../queries/gpu/catalog.ts';
import { assembleGpuRows } from '../../queries/gpu/node-readings.ts';
import { type GpuThresholdPolicy, workloadOf } from '../../queries/gpu/thresholds.ts';

export interface RenderGpuChartOptions {
  backend: MetricsBackend;
  policy: GpuThresholdPolicy;
  timeZone: string;
  now: number;
  /** Turns the chart spec into PNG (in a worker thread in the bot). */
  renderer: ChartRenderer;
}

/** A range for the vetted query's `range` parameter: whole seconds always parse. */
export function rangeParam(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

/** "last 1h", or "1h to 28 Nov 2026, 09:42 UTC" for a window that ended before now. */
export function describeWindow(rangeMs: number, end: number, now: number, timeZone: string): string {
  const span = formatDuration(rangeMs);
  return now - end < 2 * 60_000 ? `last ${span}` : `${span} to ${formatTime(end, { timeZone, now })}`;
}

/**
 * Renders the chart a verified token asks for: the node's history from the metrics backend, the
 * workload (to know whether utilisation thresholds apply) from its current state, then PNG.
 */
export async function renderGpuChart(request: ChartRequest, opts: RenderGpuChartOptions): Promise<Buffer> {
  if (request.kind === 'gpu-errors') return renderGpuErrorChart(request, opts);
  const end = Math.min(request.end, opts.now);
  const node = { node: request.node, gpu: request.gpu };
  const [history, state] = await Promise.all([
    runGpuRange(opts.backend, gpuNodeHistory, { ...node, range: rangeParam(request.rangeMs) }, { at: end }),
    runGpuInstant(opts.backend, gpuNodeState, node, { at: end }),
  ]);
  const points = (part: string) => history[part]?.[0]?.points ?? [];
  const h: GpuNodeHistory = {
    utilAvg: points('utilAvg'),
    utilMin: points('utilMin'),
    tempMax: points('tempMax'),
    tempAvg: points('tempAvg'),
    fbPctMax: points('fbPctMax'),
  };
  const rows = assembleGpuRows(state);
  if (rows.length === 0 && Object.values(h).every((p) => p.length === 0)) {
    throw new UserFacingError('UNKNOWN_NODE', `No GPU metrics for node "${request.node}".`);
  }
  const workload = rows.some((r) => workloadOf(r, opts.policy) === 'throughput') ? 'throughput' : 'latency';
  const spec = buildGpuNodeChart({
    node: request.node,
    gpu: request.gpu,
    rangeLabel: describeWindow(request.rangeMs, end, opts.now, opts.timeZone),
    timeZone: opts.timeZone,
    history: h,
    workload,
    policy: opts.policy,
    marker: request.marker,
  });
  return opts.renderer.render(spec);
}

/** The error chart of an ECC or XID card: the vetted `gpu-error-history` query over the window. */
async function renderGpuErrorChart(request: ChartRequest, opts: RenderGpuChartOptions): Promise<Buffer> {
  const end = Math.min(request.end, opts.now);
  const parts = await runGpuRange(
    opts.backend,
    gpuErrorHistory,
    { node: request.node, gpu: request.gpu, range: rangeParam(request.rangeMs) },
    { at: end },
  );
  const part = (name: string) => parts[name] ?? [];
  const history = {
    xid: part('xid'),
    xidCount: part('xidCount'),
    eccDbe: part('eccDbe'),
    remapUncorrectable: part('remapUncorrectable'),
    remapPending: part('remapPending'),
    remapFailure: part('remapFailure'),
  };
  if (Object.values(history).every((series) => series.length === 0)) {
    throw new UserFacingError('UNKNOWN_NODE', `No GPU metrics for node "${request.node}".`);
  }
  const spec = buildGpuErrorChart({
    node: request.node,
    gpu: request.gpu,
    rangeLabel: describeWindow(request.rangeMs, end, opts.now, opts.timeZone),
    timeZone: opts.timeZone,
    history,
    marker: request.marker,
  });
  return opts.renderer.render(spec);
}
