import type { ChartSpecInput } from '../../cards/charts/chart-spec.ts';
import type { HeatmapSpecInput } from '../../cards/charts/heatmap-spec.ts';
import type { RangeSeries } from '../../queries/backends/metrics-backend.ts';
import { HOST_LABELS } from '../../queries/gpu/metric-names.ts';
import type { ErrorRow, LatencyRow, ThroughputRow } from './engineering-view.ts';

/** Lines per panel: the chart spec's limit, and about what a legend can hold. */
const MAX_SERIES = 8;
/** Nodes per heatmap: the spec's limit; more are counted on the card. */
const MAX_NODES = 48;

type Point = [number, number];

/** Colours by name, so one endpoint or model has the same colour in every panel of a chart. */
const PALETTE = ['#2563eb', '#ea580c', '#059669', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#9f1239'];

function colourOf(names: string[], name: string): string {
  if (!names.includes(name)) names.push(name);
  return PALETTE[names.indexOf(name) % PALETTE.length]!;
}

/** One series per key, points in time order, the keys with the most `weight` first (at most eight). */
function seriesBy<R>(
  rows: readonly R[],
  key: (r: R) => string,
  value: (r: R) => number,
  weight: (r: R) => number,
  colours: string[] = [],
): { name: string; points: Point[]; color: string }[] {
  const by = new Map<string, { points: Point[]; weight: number }>();
  for (const r of rows) {
    const s = by.get(key(r)) ?? { points: [], weight: 0 };
    s.points.push([Date.parse((r as { TimeGenerated: string }).TimeGenerated), value(r)]);
    s.weight += weight(r);
    by.set(key(r), s);
  }
  return [...by.entries()]
    .sort((a, b) => b[1].weight - a[1].weight || a[0].localeCompare(b[0]))
    .slice(0, MAX_SERIES)
    .map(([name, s]) => ({
      name: name.slice(0, 60),
      points: s.points.sort((a, b) => a[0] - b[0]),
      color: colourOf(colours, name),
    }));
}

/**
 * The heatmap of mean GPU utilisation per node: one column per step from the range's start, a
 * grey cell where the node sent no sample (a GPU that fell off the bus, an exporter down).
 */
export function gpuHeatmap(
  series: readonly RangeSeries[],
  startMs: number,
  endMs: number,
  stepMs: number,
  timeZone: string,
): HeatmapSpecInput {
  const last = Math.floor(endMs / stepMs) * stepMs;
  const first = Math.floor(startMs / stepMs) * stepMs + stepMs;
  const times: number[] = [];
  for (let t = first; t <= last; t += stepMs) times.push(t);
  const host = (s: RangeSeries) => HOST_LABELS.map((l) => s.labels[l]).find(Boolean) ?? '(no host label)';
  const rows = [...series]
    .sort((a, b) => host(a).localeCompare(host(b)))
    .slice(0, MAX_NODES)
    .map((s) => {
      const cells: (number | null)[] = times.map(() => null);
      for (const [t, v] of s.points) {
        const i = Math.round((t - first) / stepMs);
        if (i >= 0 && i < cells.length) cells[i] = Math.round(v * 10) / 10;
      }
      return { name: host(s).slice(0, 60), cells };
    });
  return {
    kind: 'heatmap',
    title: 'GPU utilisation per node',
    subtitle: `mean of each node's GPUs (DCGM_FI_DEV_GPU_UTIL), ${Math.round(stepMs / 60_000)}-minute steps`,
    timeZone,
    times: times.length ? times : [first],
    rows: rows.length ? rows : [{ name: '(no GPUs)', cells: [null] }],
    unit: '%',
    min: 0,
    max: 100,
  };
}

/** Panels of the latency chart: the chart spec's limit; the card's table lists every deployment. */
const MAX_LATENCY_PANELS = 4;
const PERCENTILE_COLOURS = { P50: '#059669', P95: '#2563eb', P99: '#7c3aed' } as const;

/**
 * P50, P95 and P99 latency with the SLO line: a panel per deployment (the busiest four, or the one
 * asked for), its three percentiles in the same colours in every panel.
 */
export function latencyChart(
  rows: readonly LatencyRow[],
  sloMs: number,
  timeZone: string,
  deployment: string | undefined,
): ChartSpecInput {
  const byDeployment = new Map<string, { rows: LatencyRow[]; requests: number }>();
  for (const r of rows) {
    const d = byDeployment.get(r.Deployment) ?? { rows: [], requests: 0 };
    d.rows.push(r);
    d.requests += r.Requests;
    byDeployment.set(r.Deployment, d);
  }
  const shown = [...byDeployment.entries()]
    .sort((a, b) => b[1].requests - a[1].requests || a[0].localeCompare(b[0]))
    .slice(0, MAX_LATENCY_PANELS);
  const pick = {
    P50: (r: LatencyRow) => r.P50,
    P95: (r: LatencyRow) => r.P95,
    P99: (r: LatencyRow) => r.P99,
  };
  return {
    title: deployment ? `Latency of ${deployment.slice(0, 60)}` : 'Latency per deployment',
    subtitle: `P50, P95 and P99 per 5 minutes · SLO ${sloMs} ms${
      byDeployment.size > shown.length ? ` · the ${shown.length} busiest of ${byDeployment.size}` : ''
    }`,
    timeZone,
    panels: shown.map(([name, d]) => ({
      title: name.slice(0, 60),
      unit: 'ms',
      min: 0,
      series: (Object.keys(pick) as (keyof typeof pick)[]).map((p) => ({
        name: p,
        color: PERCENTILE_COLOURS[p],
        points: d.rows
          .map((r): Point => [Date.parse(r.TimeGenerated), pick[p](r)])
          .sort((a, b) => a[0] - b[0]),
      })),
      thresholds: [{ value: sloMs, label: 'SLO', tone: 'critical' as const }],
    })),
  };
}

/** An error spike of one endpoint: its worst bucket, when that is well above its usual share. */
export interface ErrorSpike {
  endpoint: string;
  kind: '4xx' | '5xx';
  at: number;
  rate: number;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Spikes: an endpoint's bucket whose 4xx or 5xx share is at least 1 % and three times the
 * endpoint's median bucket, with 5 or more such errors; the worst bucket per endpoint and class,
 * the three worst overall (what the chart can mark).
 */
export function errorSpikes(rows: readonly ErrorRow[]): ErrorSpike[] {
  const spikes: ErrorSpike[] = [];
  for (const kind of ['4xx', '5xx'] as const) {
    const rate = (r: ErrorRow) => (kind === '4xx' ? r.Rate4xx : r.Rate5xx);
    const count = (r: ErrorRow) => (kind === '4xx' ? r.Errors4xx : r.Errors5xx);
    const byEndpoint = new Map<string, ErrorRow[]>();
    for (const r of rows) byEndpoint.set(r.OperationName, [...(byEndpoint.get(r.OperationName) ?? []), r]);
    for (const [endpoint, rs] of byEndpoint) {
      const usual = median(rs.map(rate));
      const worst = rs
        .filter((r) => rate(r) >= Math.max(1, 3 * usual) && count(r) >= 5)
        .sort((a, b) => rate(b) - rate(a))[0];
      if (worst) spikes.push({ endpoint, kind, at: Date.parse(worst.TimeGenerated), rate: rate(worst) });
    }
  }
  return spikes.sort((a, b) => b.rate - a.rate).slice(0, 3);
}

/** 4xx and 5xx shares per endpoint (those with most errors), the spikes marked across both panels. */
export function errorCharts(
  rows: readonly ErrorRow[],
  spikes: readonly ErrorSpike[],
  timeZone: string,
): ChartSpecInput {
  const colours: string[] = [];
  return {
    title: 'Errors per endpoint',
    subtitle: 'share of each endpoint’s requests per 5 minutes · markers: spikes',
    timeZone,
    panels: [
      {
        title: '4xx',
        unit: '%',
        min: 0,
        series: seriesBy(
          rows,
          (r) => r.OperationName,
          (r) => r.Rate4xx,
          (r) => r.Errors4xx + 1e-9 * r.Requests,
          colours,
        ),
      },
      {
        title: '5xx',
        unit: '%',
        min: 0,
        series: seriesBy(
          rows,
          (r) => r.OperationName,
          (r) => r.Rate5xx,
          (r) => r.Errors5xx + 1e-9 * r.Requests,
          colours,
        ),
      },
    ],
    markers: spikeMarkers(spikes),
  };
}

/** One marker per instant: spikes in the same bucket share a line and a label. */
function spikeMarkers(spikes: readonly ErrorSpike[]): { at: number; label: string }[] {
  const byAt = new Map<number, string[]>();
  for (const s of spikes) byAt.set(s.at, [...(byAt.get(s.at) ?? []), `${s.kind} ${s.endpoint}`]);
  return [...byAt.entries()].map(([at, labels]) => ({ at, label: labels.join(', ').slice(0, 40) }));
}

/** Requests per second and tokens per second per model deployment (busiest first). */
export function throughputChart(rows: readonly ThroughputRow[], timeZone: string): ChartSpecInput {
  const colours: string[] = [];
  return {
    title: 'Throughput per model',
    subtitle: 'requests and tokens (prompt + completion) per second, 5-minute means',
    timeZone,
    panels: [
      {
        title: 'Requests',
        unit: 'req/s',
        min: 0,
        series: seriesBy(
          rows,
          (r) => r.Deployment,
          (r) => r.RequestsPerSec,
          (r) => r.Requests,
          colours,
        ),
      },
      {
        title: 'Tokens',
        unit: 'tok/s',
        min: 0,
        series: seriesBy(
          rows,
          (r) => r.Deployment,
          (r) => r.TokensPerSec,
          (r) => r.Tokens,
          colours,
        ),
      },
    ],
  };
}
