import type { Clock } from '../../core/clock.ts';
import { evaluateAt, evaluateRange, type SeriesSource, type SourceSeries } from '../gpu/evaluate.ts';
import type { GpuQuerySpec } from '../gpu/query-spec.ts';
import {
  type InstantSample,
  type MetricsBackend,
  MetricsBackendError,
  type QueryOptions,
  type RangeSeries,
  rangeWindow,
} from './metrics-backend.ts';

/** Fixed-size ring of `(t, v)` samples: memory stays bounded however long the bot runs. */
class SampleRing implements SourceSeries {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    capacity: number,
  ) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    const cap = this.times.length;
    // Out-of-order samples are dropped, like Prometheus' TSDB does.
    if (this.size > 0 && t <= this.times[(this.head + this.size - 1) % cap]!) return;
    const at = (this.head + this.size) % cap;
    this.times[at] = t;
    this.values[at] = v;
    if (this.size < cap) this.size++;
    else this.head = (this.head + 1) % cap;
  }

  private timeAt(i: number): number {
    return this.times[(this.head + i) % this.times.length]!;
  }

  /** First logical index whose time is greater than `t` (samples are in time order). */
  private firstAfter(t: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  samplesBetween(from: number, to: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const cap = this.times.length;
    for (let i = this.firstAfter(from); i < this.size; i++) {
      const j = (this.head + i) % cap;
      const t = this.times[j]!;
      if (t > to) break;
      out.push([t, this.values[j]!]);
    }
    return out;
  }
}

/** What the store ingests: the simulator's metric families (structurally). */
export interface IngestFamily {
  name: string;
  series: ReadonlyArray<{ labels: ReadonlyArray<readonly [string, string]>; value: number }>;
}

export interface LocalSampleStoreOptions {
  /** Samples kept per series (default 1440: 12 h at a 30 s scrape). */
  capacityPerSeries?: number;
  /** New series beyond this are dropped and counted (default 20 000). */
  maxSeries?: number;
}

/** In-memory sample store fed by the DCGM simulator; a ring buffer per series. */
export class LocalSampleStore implements SeriesSource {
  private readonly byMetric = new Map<string, Map<string, SampleRing>>();
  private seriesCount = 0;
  private readonly capacity: number;
  private readonly maxSeries: number;
  /** Samples refused because the series limit was reached. */
  dropped = 0;
  /** Series keys by labels array: a scraper that reuses its arrays is not made to rebuild keys. */
  private readonly keys = new WeakMap<object, { key: string; labels: Array<readonly [string, string]> }>();

  constructor(opts: LocalSampleStoreOptions = {}) {
    this.capacity = opts.capacityPerSeries ?? 1440;
    this.maxSeries = opts.maxSeries ?? 20_000;
  }

  get series(): number {
    return this.seriesCount;
  }

  /** Appends one scrape taken at `t`. */
  ingest(families: readonly IngestFamily[], t: number): void {
    for (const f of families) {
      let rings = this.byMetric.get(f.name);
      if (!rings) {
        rings = new Map();
        this.byMetric.set(f.name, rings);
      }
      for (const s of f.series) {
        let known = this.keys.get(s.labels);
        if (!known) {
          // An empty label value is the same as no label, as in Prometheus (`pod=""` on a free GPU).
          const labels = s.labels.filter(([, v]) => v !== '');
          known = { labels, key: labels.map(([k, v]) => `${k}\u0000${v}`).join('\u0001') };
          this.keys.set(s.labels, known);
        }
        const { labels, key } = known;
        let ring = rings.get(key);
        if (!ring) {
          if (this.seriesCount >= this.maxSeries) {
            this.dropped++;
            continue;
          }
          ring = new SampleRing(Object.fromEntries(labels), this.capacity);
          rings.set(key, ring);
          this.seriesCount++;
        }
        ring.push(t, s.value);
      }
    }
  }

  seriesOf(metric: string): Iterable<SourceSeries> {
    return this.byMetric.get(metric)?.values() ?? [];
  }
}

/** Evaluation is synchronous; a long range over many series still yields to an abort. */
function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MetricsBackendError('QUERY_ABORTED', 'the query was cancelled', true);
}

/** A {@link MetricsBackend} answering structured specs straight from a {@link LocalSampleStore}. */
export function createLocalMetricsBackend(store: LocalSampleStore, clock: Clock): MetricsBackend {
  return {
    id: 'local',
    async instant(spec: GpuQuerySpec, opts: QueryOptions = {}): Promise<InstantSample[]> {
      checkAborted(opts.signal);
      const at = opts.at ?? clock.now();
      return evaluateAt(spec, store, at).map((s) => ({ labels: s.labels, at, value: s.value }));
    },
    async range(spec: GpuQuerySpec, opts: QueryOptions = {}): Promise<RangeSeries[]> {
      checkAborted(opts.signal);
      const w = rangeWindow(spec, opts.at ?? clock.now());
      return evaluateRange(spec, store, w.start, w.end, w.stepMs);
    },
  };
}
