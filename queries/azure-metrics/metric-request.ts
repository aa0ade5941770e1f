import { formatDatetime } from '../engine/literals.ts';
import type { QueryResult } from '../engine/types.ts';
import {
  AZURE_OPENAI_NAMESPACE,
  type MetricAggregation,
  type MetricDimension,
  type MetricQuery,
} from './define-metric-query.ts';
import type { MetricParams } from './metric-params.ts';

/** ISO 8601 for a grain of {@link GRAINS}: `PT5M`, `PT1H`, `P1D`. */
export function isoGrain(ms: number): string {
  if (ms % 86_400_000 === 0) return `P${ms / 86_400_000}D`;
  if (ms % 3_600_000 === 0) return `PT${ms / 3_600_000}H`;
  return `PT${ms / 60_000}M`;
}

/** Milliseconds of an ISO 8601 grain `PTnM`, `PTnH` or `PnD`; undefined for any other text. */
export function grainMs(iso: string): number | undefined {
  const m = /^P(?:(\d+)D|T(\d+)H|T(\d+)M)$/.exec(iso);
  if (!m) return undefined;
  return m[1] ? Number(m[1]) * 86_400_000 : m[2] ? Number(m[2]) * 3_600_000 : Number(m[3]) * 60_000;
}

/** One request to the Metrics API (`metrics:getBatch`), built only from a vetted definition. */
export interface MetricRequest {
  namespace: string;
  metricNames: string[];
  /** Comma-separated REST aggregation names, one per distinct aggregation read. */
  aggregation: string;
  /** ISO 8601 time grain. */
  interval: string;
  startTime: Date;
  endTime: Date;
  /** One deployment, or `*`: every deployment, one series each. */
  deployment: string;
  /** A dimension split into one series per value besides the deployment. */
  splitBy: MetricDimension | undefined;
  /** Series per resource; the service returns 10 when a filter is given and this is not. */
  top: number;
}

/** Enough series for every deployment × status code of one resource. */
const SERIES_PER_RESOURCE = 200;

/** An OData string literal: single quotes doubled (names are already restricted to safe characters). */
const odataString = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** The request's OData `filter`: `eq '*'` asks the service for one series per value. */
export function odataFilter(request: Pick<MetricRequest, 'deployment' | 'splitBy'>): string {
  const dims = [`ModelDeploymentName eq ${odataString(request.deployment)}`];
  if (request.splitBy) dims.push(`${request.splitBy} eq '*'`);
  return dims.join(' and ');
}

/** The Metrics API request of a vetted query with validated parameters, at `now`. */
export function buildMetricRequest(query: MetricQuery, params: MetricParams, now: number): MetricRequest {
  const endMs = params.end !== undefined ? Date.parse(params.end) : now;
  const startMs = params.start !== undefined ? Date.parse(params.start) : endMs - params.window;
  return {
    namespace: AZURE_OPENAI_NAMESPACE,
    metricNames: [...new Set(query.metrics.map((m) => m.name))],
    aggregation: [...new Set(query.metrics.map((m) => m.aggregation))].join(','),
    interval: isoGrain(params.interval),
    startTime: new Date(startMs),
    endTime: new Date(endMs),
    deployment: params.deployment || '*',
    splitBy: query.splitBy,
    top: SERIES_PER_RESOURCE,
  };
}

/** The request as a card shows it under "what ran": the same fields the service received. */
export function describeMetricRequest(request: MetricRequest, resourceIds: readonly string[]): string {
  return [
    `POST metrics:getBatch (${request.namespace})`,
    `resources: ${resourceIds.join(', ') || '(simulated)'}`,
    `metricnames: ${request.metricNames.join(',')}`,
    `aggregation: ${request.aggregation}`,
    `interval: ${request.interval}`,
    `timespan: ${formatDatetime(request.startTime.getTime())}/${formatDatetime(request.endTime.getTime())}`,
    `filter: ${odataFilter(request)}`,
  ].join('\n');
}

/** One time series of one metric as the service returned it. */
export interface MetricSeries {
  metric: string;
  /** Dimension values (`ModelDeploymentName`, `StatusCode` …) of this series. */
  dimensions: Readonly<Record<string, string>>;
  /** Points in time order; a grain without data has no value for an aggregation. */
  points: readonly { at: number; values: Partial<Record<MetricAggregation, number>> }[];
}

/**
 * The series as one table in the query's columns: a row per time grain, deployment and split
 * value; grains without any value are left out (the service returns them empty).
 */
export function seriesTable(query: MetricQuery, series: readonly MetricSeries[]): QueryResult {
  const rows = new Map<string, (string | number | null)[]>();
  const width = query.columns.length;
  const firstMetric = 2 + (query.splitBy ? 1 : 0);
  for (const s of series) {
    const reads = query.metrics.map((m, i) => ({ m, i })).filter(({ m }) => m.name === s.metric);
    for (const p of s.points) {
      for (const { m, i } of reads) {
        const value = p.values[m.aggregation];
        if (value === undefined) continue;
        const deployment = s.dimensions.ModelDeploymentName ?? '';
        const split = query.splitBy ? (s.dimensions[query.splitBy] ?? '') : '';
        const key = `${p.at}\u0000${deployment}\u0000${split}`;
        let row = rows.get(key);
        if (!row) {
          row = new Array<string | number | null>(width).fill(null);
          row[0] = formatDatetime(p.at);
          row[1] = deployment;
          if (query.splitBy) row[2] = split;
          rows.set(key, row);
        }
        row[firstMetric + i] = value;
      }
    }
  }
  const table = [...rows.values()].sort(
    (a, b) =>
      String(a[0]).localeCompare(String(b[0])) ||
      String(a[1]).localeCompare(String(b[1])) ||
      String(a[2]).localeCompare(String(b[2])),
  );
  if (query.share) addShares(table, firstMetric);
  return { columns: query.columns.map((c) => ({ name: c.name, type: c.type })), rows: table };
}

/** Fills the last column with each row's share (%) of its grain and deployment's first metric. */
function addShares(rows: (string | number | null)[][], metricAt: number): void {
  const totals = new Map<string, number>();
  const key = (r: (string | number | null)[]) => `${r[0]}\u0000${r[1]}`;
  for (const r of rows) totals.set(key(r), (totals.get(key(r)) ?? 0) + Number(r[metricAt] ?? 0));
  for (const r of rows) {
    const total = totals.get(key(r)) ?? 0;
    r[r.length - 1] = total > 0 ? Math.round((10_000 * Number(r[metricAt] ?? 0)) / total) / 100 : 0;
  }
}
