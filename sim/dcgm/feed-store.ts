import type { Clock } from '../../core/clock.ts';
import type { DcgmCluster } from './cluster.ts';
import {
  collectDcgmFamilies,
  collectInfinibandFamilies,
  collectScrapeHealth,
  type MetricFamily,
} from './families.ts';

/** Anything that takes scrapes: the local sample store does. */
export interface ScrapeSink {
  ingest(families: readonly MetricFamily[], t: number): void;
}

/** The dcgm-exporter's default collection interval. */
export const DEFAULT_SCRAPE_INTERVAL_MS = 30_000;

/** Takes one simulated scrape at `t` (what Prometheus would store) and hands it to the sink. */
export function scrapeInto(sink: ScrapeSink, cluster: DcgmCluster, t: number): void {
  const nodes = cluster.sample(t);
  sink.ingest(
    [
      ...collectDcgmFamilies(cluster.options, nodes),
      ...collectInfinibandFamilies(nodes),
      collectScrapeHealth(nodes),
    ],
    t,
  );
}

/**
 * Fills the sink with scrapes from `from` to `to`, so charts have an hour of history the moment
 * local mode starts. The simulator is a pure function of time, so the past is exact.
 */
export function backfillInto(
  sink: ScrapeSink,
  cluster: DcgmCluster,
  from: number,
  to: number,
  intervalMs = DEFAULT_SCRAPE_INTERVAL_MS,
): number {
  let n = 0;
  for (let t = Math.ceil(from / intervalMs) * intervalMs; t <= to; t += intervalMs) {
    scrapeInto(sink, cluster, t);
    n++;
  }
  return n;
}

/** Scrapes every `intervalMs` of wall time at the clock's "now"; returns a stop function. */
export function startScrapeLoop(
  sink: ScrapeSink,
  cluster: DcgmCluster,
  clock: Clock,
  intervalMs = DEFAULT_SCRAPE_INTERVAL_MS,
): () => void {
  const timer = setInterval(() => scrapeInto(sink, cluster, clock.now()), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
