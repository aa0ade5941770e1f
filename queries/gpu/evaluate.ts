import { DCGM, DERIVED, HOST_LABEL, HOST_LABELS, IB_NODE_LABEL } from './metric-names.ts';
import type { GpuQuerySpec, LabelMatcher } from './query-spec.ts';

/** A stored series the evaluator can read. */
export interface SourceSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Samples with `from < t <= to`, oldest first. */
  samplesBetween(from: number, to: number): Array<[number, number]>;
}

/** Where the evaluator finds series: the local sample store implements it. */
export interface SeriesSource {
  seriesOf(metric: string): Iterable<SourceSeries>;
}

export interface EvalSample {
  labels: Record<string, string>;
  value: number;
}

/** Prometheus' default look-back for an instant selector. */
export const LOOKBACK_MS = 5 * 60_000;

const regexes = new Map<string, RegExp>();

/** PromQL regex matchers are anchored at both ends. */
function anchored(source: string): RegExp {
  let re = regexes.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`);
    regexes.set(source, re);
  }
  return re;
}

function matches(labels: Readonly<Record<string, string>>, m: LabelMatcher): boolean {
  const v = labels[m.label] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return anchored(m.value).test(v);
    case '!~':
      return !anchored(m.value).test(v);
  }
}

function onNode(spec: GpuQuerySpec, labels: Readonly<Record<string, string>>): boolean {
  if (!spec.node) return true;
  if (spec.node.source === 'node-exporter') return labels[IB_NODE_LABEL] === spec.node.value;
  return HOST_LABELS.some((l) => labels[l] === spec.node?.value);
}

function selected(spec: GpuQuerySpec, source: SeriesSource, metric: string): SourceSeries[] {
  const out: SourceSeries[] = [];
  for (const s of source.seriesOf(metric)) {
    if (onNode(spec, s.labels) && spec.matchers.every((m) => matches(s.labels, m))) out.push(s);
  }
  return out;
}

function latest(s: SourceSeries, t: number): number | undefined {
  const samples = s.samplesBetween(t - LOOKBACK_MS, t);
  return samples.at(-1)?.[1];
}

/** Counter increase over samples, treating a drop as a reset (as Prometheus does). */
function counterIncrease(samples: ReadonlyArray<[number, number]>): number {
  let total = 0;
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1]![1];
    const cur = samples[i]![1];
    total += cur >= prev ? cur - prev : cur;
  }
  return total;
}

function overTime(
  fn: NonNullable<GpuQuerySpec['over']>['fn'],
  samples: Array<[number, number]>,
  windowMs: number,
) {
  if (samples.length === 0) return undefined;
  const values = samples.map((p) => p[1]);
  if (fn === 'avg_over_time') return values.reduce((a, b) => a + b, 0) / values.length;
  if (fn === 'max_over_time') return Math.max(...values);
  if (fn === 'min_over_time') return Math.min(...values);
  if (samples.length < 2) return undefined;
  // Extrapolate the sampled span to the whole window, roughly like Prometheus.
  const span = samples.at(-1)![0] - samples[0]![0];
  const increase = span > 0 ? (counterIncrease(samples) * windowMs) / span : 0;
  return fn === 'increase' ? increase : increase / (windowMs / 1000);
}

function withoutName(labels: Readonly<Record<string, string>>): Record<string, string> {
  const { __name__: _, ...rest } = labels;
  return rest;
}

function keyOf(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The series a spec reads, chosen once: which series match does not depend on the instant, so a
 * range query filters labels once instead of at each of its hundreds of steps.
 */
interface Selection {
  primary: SourceSeries[];
  /** For the framebuffer percentage: the free-memory series, keyed like the used ones. */
  free?: Array<{ series: SourceSeries; key: string }>;
  /** Labels without `__name__` and their keys, computed once per series. */
  bare: Map<SourceSeries, { labels: Record<string, string>; key: string }>;
}

function select(spec: GpuQuerySpec, source: SeriesSource): Selection {
  const bare = new Map<SourceSeries, { labels: Record<string, string>; key: string }>();
  const bareOf = (s: SourceSeries) => {
    const labels = withoutName(s.labels);
    const entry = { labels, key: keyOf(labels) };
    bare.set(s, entry);
    return entry;
  };
  if (spec.metric === DERIVED.fbUsedPct) {
    const free = selected(spec, source, DCGM.fbFree).map((series) => ({ series, key: bareOf(series).key }));
    const primary = selected(spec, source, DCGM.fbUsed);
    for (const s of primary) bareOf(s);
    return { primary, free, bare };
  }
  const primary = selected(spec, source, spec.metric);
  if (spec.over) for (const s of primary) bareOf(s);
  return { primary, bare };
}

function vectorAt(spec: GpuQuerySpec, sel: Selection, t: number): EvalSample[] {
  const out: EvalSample[] = [];
  if (sel.free) {
    const free = new Map<string, number>();
    for (const { series, key } of sel.free) {
      const v = latest(series, t);
      if (v !== undefined) free.set(key, v);
    }
    for (const s of sel.primary) {
      const { labels, key } = sel.bare.get(s)!;
      const used = latest(s, t);
      const f = free.get(key);
      if (used !== undefined && f !== undefined && used + f > 0)
        out.push({ labels: { ...labels }, value: (100 * used) / (used + f) });
    }
    return out;
  }
  for (const s of sel.primary) {
    if (spec.over) {
      const v = overTime(spec.over.fn, s.samplesBetween(t - spec.over.windowMs, t), spec.over.windowMs);
      if (v !== undefined) out.push({ labels: { ...sel.bare.get(s)!.labels }, value: v });
    } else {
      const v = latest(s, t);
      if (v !== undefined) out.push({ labels: { __name__: spec.metric, ...s.labels }, value: v });
    }
  }
  return out;
}

function aggregate(spec: GpuQuerySpec, input: EvalSample[]): EvalSample[] {
  const agg = spec.aggregate;
  if (!agg) return input;
  const by = agg.by.map((l) => (l === 'hostname' ? HOST_LABEL : l));
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const s of input) {
    const labels: Record<string, string> = {};
    for (const l of by) {
      const v = l === HOST_LABEL ? (s.labels.Hostname ?? s.labels.hostname) : s.labels[l];
      if (v !== undefined && v !== '') labels[l] = v;
    }
    const key = keyOf(labels);
    const g = groups.get(key) ?? { labels, values: [] };
    g.values.push(s.value);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ labels, values }) => {
    const sum = values.reduce((a, b) => a + b, 0);
    const value =
      agg.op === 'sum'
        ? sum
        : agg.op === 'avg'
          ? sum / values.length
          : agg.op === 'max'
            ? Math.max(...values)
            : agg.op === 'min'
              ? Math.min(...values)
              : values.length;
    return { labels, value };
  });
}

const COMPARE = {
  '>': (a: number, b: number) => a > b,
  '<': (a: number, b: number) => a < b,
  '>=': (a: number, b: number) => a >= b,
  '<=': (a: number, b: number) => a <= b,
} as const;

/**
 * Evaluates a spec at one instant over a series source, with the semantics its compiled PromQL
 * has on Prometheus: staleness look-back, over-time functions, aggregation, topk/bottomk and
 * comparison filters. No PromQL is parsed: the spec is already structured.
 */
export function evaluateAt(spec: GpuQuerySpec, source: SeriesSource, t: number): EvalSample[] {
  return evaluateSelected(spec, select(spec, source), t);
}

function evaluateSelected(spec: GpuQuerySpec, sel: Selection, t: number): EvalSample[] {
  let out = aggregate(spec, vectorAt(spec, sel, t));
  if (spec.select) {
    const dir = spec.select.op === 'topk' ? -1 : 1;
    out = [...out].sort((a, b) => dir * (a.value - b.value)).slice(0, spec.select.k);
  }
  const cmp = spec.compare;
  if (cmp) out = out.filter((s) => COMPARE[cmp.op](s.value, cmp.value));
  return out;
}

/** Evaluates a spec at each step of `[start, end]` and stitches the results into series. */
export function evaluateRange(
  spec: GpuQuerySpec,
  source: SeriesSource,
  start: number,
  end: number,
  stepMs: number,
): Array<{ labels: Record<string, string>; points: Array<[number, number]> }> {
  const series = new Map<string, { labels: Record<string, string>; points: Array<[number, number]> }>();
  const sel = select(spec, source);
  for (let t = start; t <= end; t += stepMs) {
    for (const s of evaluateSelected(spec, sel, t)) {
      const key = keyOf(s.labels);
      const entry = series.get(key) ?? { labels: s.labels, points: [] };
      entry.points.push([t, s.value]);
      series.set(key, entry);
    }
  }
  return [...series.values()];
}
