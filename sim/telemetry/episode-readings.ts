import { nearestRank } from '../../queries/engine/percentile.ts';
import {
  DEFAULT_SAMPLING,
  emptyRequestColumns,
  generateMinute,
  type RequestColumns,
  type SamplingOptions,
} from './generate-requests.ts';
import { LATENCY_EPISODE, MINUTE, THROTTLE_EPISODE } from './profile.ts';

/*
 * What the scenario's alert rules read at their firing time, computed from the same rows the
 * simulated workspace holds then (the telemetry is deterministic per minute), as Azure Monitor and
 * Grafana evaluate a rule over the data it watches. An alert's value is therefore what its
 * evidence query finds over the same window.
 */

/** The AppRequests rows generated after `sinceMs` and present at `atMs` (only complete minutes are). */
function rowsAt(startMs: number, sinceMs: number, atMs: number, sampling: SamplingOptions): RequestColumns {
  const out = emptyRequestColumns();
  const until = Math.floor(atMs / MINUTE) * MINUTE;
  for (let m = Math.floor(sinceMs / MINUTE) * MINUTE; m < until; m += MINUTE)
    generateMinute(out, m, startMs, sampling);
  return out;
}

/**
 * Requests of the throttling episode's deployment answered with HTTP 429 in the alert window
 * ending at `atMs` (`TimeGenerated > ago(window)`, each row standing for ItemCount requests).
 */
export function throttledRequests(startMs: number, atMs: number, sampling = DEFAULT_SAMPLING): number {
  const since = atMs - THROTTLE_EPISODE.windowMs;
  const rows = rowsAt(startMs, since, atMs, sampling);
  let throttled = 0;
  for (let i = 0; i < rows.TimeGenerated.length; i++) {
    if (rows.TimeGenerated[i]! <= since || rows.ResultCode[i] !== '429') continue;
    if (rows.Properties[i]!.deployment === THROTTLE_EPISODE.deployment) throttled += rows.ItemCount[i]!;
  }
  return throttled;
}

/**
 * The latency episode's percentile (nearest rank over the sampled rows, as the KQL engine takes
 * it) of the new model version's request durations, in ms, over every row present at `atMs`.
 * The new version's rows all lie within a day of `atMs` while the scenario is under 22 hours old,
 * so a 24-hour evidence window sees the same rows.
 */
export function latencyPercentileMs(startMs: number, atMs: number, sampling = DEFAULT_SAMPLING): number {
  const rows = rowsAt(startMs, startMs + LATENCY_EPISODE.changeAt, atMs, sampling);
  const durations: number[] = [];
  for (let i = 0; i < rows.TimeGenerated.length; i++) {
    const props = rows.Properties[i]!;
    if (
      props.deployment === LATENCY_EPISODE.deployment &&
      props['model.version'] === LATENCY_EPISODE.toVersion
    )
      durations.push(rows.DurationMs[i]!);
  }
  if (durations.length === 0) return 0;
  const sorted = Float64Array.from(durations).sort();
  return sorted[nearestRank(LATENCY_EPISODE.percentile, sorted.length)]!;
}
