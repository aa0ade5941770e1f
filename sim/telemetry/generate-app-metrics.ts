import type { RequestColumns } from './generate-requests.ts';
import { DEPLOYMENTS, diurnalFactor, LATENCY_EPISODE, MINUTE, ROLES } from './profile.ts';
import { seeded } from './seeded.ts';

/** Names of the application's custom metrics in AppMetrics (OpenTelemetry instruments). */
export const APP_METRIC_NAMES = {
  queueDepth: 'queue_depth',
  tokensPerSecond: 'tokens_per_second',
} as const;

/**
 * The queue behind the latency regression: once gpt-4o slowed down, chat-api's workers fell behind
 * and its request queue grew, 20 minutes after the rollout, over 30 minutes, by `backlog` requests,
 * past the node-pool scaling trigger (above `threshold` for `sustainMinutes`), and stays there.
 */
export const QUEUE_EPISODE = {
  role: 'chat-api',
  from: LATENCY_EPISODE.changeAt + 20 * MINUTE,
  rampMs: 30 * MINUTE,
  backlog: 120,
  threshold: 100,
  sustainMinutes: 5,
} as const;

/** Each role's usual queue depth at the daily mean (requests waiting for a worker). */
const BASE_DEPTH: Readonly<Record<string, number>> = {
  'chat-api': 25,
  'rag-api': 15,
  'embed-api': 4,
  'agent-api': 8,
  'batch-api': 40,
};

/** Column-wise AppMetrics rows (only the columns the simulator fills). */
export interface AppMetricColumns {
  TimeGenerated: number[];
  Name: string[];
  Sum: number[];
  Min: number[];
  Max: number[];
  ItemCount: number[];
  Properties: Record<string, unknown>[];
  AppRoleName: string[];
  Type: string[];
}

/** Empty column buffers. */
export function emptyAppMetricColumns(): AppMetricColumns {
  return {
    TimeGenerated: [],
    Name: [],
    Sum: [],
    Min: [],
    Max: [],
    ItemCount: [],
    Properties: [],
    AppRoleName: [],
    Type: [],
  };
}

/** The queue depth of a role at an instant (before noise). */
export function queueDepthAt(role: string, t: number, startMs: number): number {
  const base = (BASE_DEPTH[role] ?? 5) * diurnalFactor(t);
  if (role !== QUEUE_EPISODE.role) return base;
  const since = t - startMs - QUEUE_EPISODE.from;
  return since < 0 ? base : base + QUEUE_EPISODE.backlog * Math.min(1, since / QUEUE_EPISODE.rampMs);
}

/** A running Sum/Min/Max/ItemCount, as the SDK pre-aggregates a metric over its interval. */
class Aggregate {
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  count = 0;
  add(x: number) {
    this.sum += x;
    this.min = Math.min(this.min, x);
    this.max = Math.max(this.max, x);
    this.count++;
  }
}

const deploymentBags = new Map(DEPLOYMENTS.map((d) => [d.name, Object.freeze({ deployment: d.name })]));
const NO_PROPS = Object.freeze({});

/**
 * Appends one minute of the application's custom metrics: each role's queue depth (four 15 s
 * samples) and tokens per second per model (completion tokens over the call's duration, from the
 * minute's successful uncached model calls), from the same request rows as AppRequests. (The cache
 * hit rate is the cache-hit-rate query's, over AppRequests.)
 */
export function appendAppMetricsMinute(
  out: AppMetricColumns,
  requests: RequestColumns,
  from: number,
  to: number,
  minuteStart: number,
  startMs: number,
): void {
  const rand = seeded(Math.floor(minuteStart / MINUTE) ^ 0x3e7c);
  const push = (name: string, a: Aggregate, role: string, props: Record<string, unknown>) => {
    if (a.count === 0) return;
    out.TimeGenerated.push(minuteStart + 59_000);
    out.Name.push(name);
    out.Sum.push(Math.round(a.sum * 1000) / 1000);
    out.Min.push(Math.round(a.min * 1000) / 1000);
    out.Max.push(Math.round(a.max * 1000) / 1000);
    out.ItemCount.push(a.count);
    out.Properties.push(props);
    out.AppRoleName.push(role);
    out.Type.push('AppMetrics');
  };
  for (const role of ROLES) {
    const depth = new Aggregate();
    for (let s = 0; s < 4; s++) {
      const x = queueDepthAt(role.name, minuteStart + s * 15_000, startMs);
      depth.add(Math.max(0, Math.round(x * (0.9 + 0.2 * rand()))));
    }
    push(APP_METRIC_NAMES.queueDepth, depth, role.name, NO_PROPS);
  }
  const tps = new Map<string, Aggregate>();
  for (let i = from; i < to; i++) {
    const props = requests.Properties[i]!;
    const deployment = String(props.deployment ?? '');
    const profile = DEPLOYMENTS.find((d) => d.name === deployment);
    if (!profile?.completion) continue;
    const role = requests.AppRoleName[i]!;
    const cached = props['cache.hit'] === true;
    const completion = Number(props['tokens.completion'] ?? 0);
    if (requests.ResultCode[i] !== '200' || cached || completion <= 0) continue;
    const key = `${role}\u0000${deployment}`;
    const a = tps.get(key) ?? new Aggregate();
    tps.set(key, a);
    a.add(completion / (requests.DurationMs[i]! / 1000));
  }
  for (const [key, a] of tps) {
    const [role, deployment] = key.split('\u0000') as [string, string];
    push(APP_METRIC_NAMES.tokensPerSecond, a, role, deploymentBags.get(deployment)!);
  }
}
