import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { bindParameters } from '../../../queries/bind-parameters.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { formatDatetime } from '../../../queries/engine/literals.ts';
import { GATEWAY_EPISODES } from '../../../sim/telemetry/generate-gateway.ts';
import { DAY, HOUR, LATENCY_EPISODE, MINUTE, THROTTLE_EPISODE } from '../../../sim/telemetry/profile.ts';
import { SimulatedTelemetry } from '../../../sim/telemetry/telemetry.ts';

// The scenario starts now: gpt-4o is in its 429 storm, and its slower model version has served
// for two hours. Four days of history reach back past gpt-4.1's fine-tune rollout.
const clock = new ManualClock(Date.parse('2026-12-08T10:00:00Z'));
const startMs = clock.now();
const telemetry = new SimulatedTelemetry({ clock, startMs, historyMs: 4 * DAY, derivedHistoryMs: 2 * DAY });
telemetry.refresh();

type Row = Record<string, unknown>;
/** Runs a vetted query with parameters; rows as objects by column name, with the run time. */
function run(id: string, params: Record<string, string | number> = {}): Row[] {
  const q = KQL_CATALOG.get(id)!;
  const bound = bindParameters(q.text, q.params.parse(params) as Record<string, string | number>);
  const started = performance.now();
  const result = telemetry.engine.run(bound);
  timings.set(id, Math.max(timings.get(id) ?? 0, performance.now() - started));
  expect(result.columns.map((c) => c.name)).toEqual(q.columns.map((c) => c.name));
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));
}
const timings = new Map<string, number>();
const raw = (text: string) => telemetry.engine.run(text).rows;
const iso = (ms: number) => formatDatetime(ms);

describe('the AI gateway’s vetted queries over the simulated gateway logs', () => {
  it('apim-tokens-by-subscription: the gateway counts the application’s tokens, per consuming subscription', () => {
    const rows = run('apim-tokens-by-subscription', { window: '30m', deployment: 'gpt-4o' });
    expect(rows.map((r) => r.Subscription)).toEqual(['chat-api-prod', 'agent-api-prod']);
    expect(rows.reduce((s, r) => s + (r.TokenShare as number), 0)).toBeCloseTo(100, 0);
    // The same tokens as the application logged for its successful gpt-4o calls (× ItemCount).
    const [[appTokens]] = raw(`AppRequests | where TimeGenerated > ago(30m) and ResultCode == "200"
      | where tostring(Properties["deployment"]) == "gpt-4o"
      | summarize sum(tolong(Properties["tokens.total"]) * ItemCount)`) as [[number]];
    expect(rows.reduce((s, r) => s + (r.TotalTokens as number), 0)).toBe(appTokens);
  });

  it('apim-policy-rejections: the token-limit policy’s 429s and the quota’s 403s per subscription, beside the backend’s 429s', () => {
    const rows = run('apim-policy-rejections', { window: '1h' });
    const of = (s: string) => rows.find((r) => r.Subscription === s)!;
    const stormMinutes = (THROTTLE_EPISODE.until - THROTTLE_EPISODE.from) / MINUTE;
    expect(of('sandbox-notebooks')).toMatchObject({
      Cause: 'llm-token-limit',
      Throttled: Math.floor(stormMinutes) * GATEWAY_EPISODES.tokenLimit.perMinute,
      OverQuota: 0,
      RejectedRate: 100,
    });
    expect(of('eval-harness')).toMatchObject({ Cause: 'llm-token-limit', Throttled: 0, OverQuota: 180 });
    // The backend's 429s, passed through to the application's subscriptions, at the app's rate.
    expect(of('chat-api-prod').Cause).toBe('backend');
    expect(of('chat-api-prod').RejectedRate as number).toBeGreaterThan(1);
    expect(rows.map((r) => r.Rejected)).toEqual(
      [...rows.map((r) => r.Rejected)].sort((a, b) => (b as number) - (a as number)),
    );
  });

  it('apim-backend-failures: forwarded calls only, per backend and deployment (from the backend URL)', () => {
    const rows = run('apim-backend-failures', { window: '30m' });
    const gpt4o = rows.find((r) => r.Deployment === 'gpt-4o')!;
    expect(gpt4o.Backend).toBe('oai-sim-eastus2');
    expect(gpt4o.Throttled as number).toBeGreaterThan(0);
    expect(rows[0]!.Deployment).toBe('gpt-4o');
    // The notebook's rejected calls never reached the backend: one forwarded call per app row.
    const [[appRows]] = raw(`AppRequests | where TimeGenerated > ago(30m)
      | where tostring(Properties["deployment"]) == "gpt-4o" | count`) as [[number]];
    expect(gpt4o.Calls).toBe(appRows);
  });
});

describe('the application pipeline’s vetted queries over its spans, metrics and logs', () => {
  it('pipeline-stage-latency: only LLM inference of gpt-4o slowed down against the day before', () => {
    const rows = run('pipeline-stage-latency', { deployment: 'gpt-4o' });
    const stage = (s: string) => rows.find((r) => r.Stage === s)!;
    expect(rows.map((r) => r.Stage).sort()).toEqual(['embedding', 'llm-inference', 'vector-search']);
    expect(stage('llm-inference').Slowdown as number).toBeGreaterThan(1.8);
    for (const s of ['embedding', 'vector-search'])
      expect(Math.abs((stage(s).Slowdown as number) - 1), s).toBeLessThan(0.15);
    // Every stage of a pipeline request ran once: as many embedding as inference calls.
    expect(stage('embedding').Calls).toBe(stage('llm-inference').Calls);
    // Before the rollout the same stage is as fast as its baseline.
    const before = run('pipeline-stage-latency', {
      deployment: 'gpt-4o',
      start: iso(startMs + LATENCY_EPISODE.changeAt - 2 * HOUR),
      end: iso(startMs + LATENCY_EPISODE.changeAt - HOUR),
    });
    expect(before.find((r) => r.Stage === 'llm-inference')!.Slowdown as number).toBeLessThan(1.2);
  });

  it('slowest-traces: the spans of each of the slowest requests add up to it, and name the slow stage', () => {
    const rows = run('slowest-traces', { deployment: 'gpt-4o', app_role: 'chat-api', limit: 5 });
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r.TotalMs)).toEqual(
      [...rows.map((r) => r.TotalMs)].sort((a, b) => (b as number) - (a as number)),
    );
    for (const r of rows) {
      const spans =
        (r.EmbeddingMs as number) +
        (r.SearchMs as number) +
        (r.CacheMs as number) +
        (r.InferenceMs as number);
      expect(Math.abs(spans - (r.TotalMs as number)), String(r.OperationId)).toBeLessThan(0.5);
      expect(r).toMatchObject({ SlowestStage: 'llm-inference', ModelVersion: LATENCY_EPISODE.toVersion });
    }
  });

  it('queue-depth: chat-api’s queue stays above 100 for whole 5-minute spans since the slowdown, the others do not', () => {
    const rows = run('queue-depth', { window: '30m' });
    const chat = rows.filter((r) => r.AppRole === 'chat-api');
    expect(chat.length).toBeGreaterThanOrEqual(5);
    expect(chat.every((r) => r.Sustained === true && (r.LowestDepth as number) > 100)).toBe(true);
    expect(rows.filter((r) => r.AppRole !== 'chat-api').every((r) => r.Sustained === false)).toBe(true);
    const earlier = run('queue-depth', {
      app_role: 'chat-api',
      start: iso(startMs + LATENCY_EPISODE.changeAt - HOUR),
      end: iso(startMs + LATENCY_EPISODE.changeAt),
    });
    expect(earlier.some((r) => r.Sustained)).toBe(false);
    expect(run('queue-depth', { window: '30m', threshold: 1000 }).some((r) => r.Sustained)).toBe(false);
  });

  it('model-throughput: gpt-4o generates about 2.4 times slower since its rollout', () => {
    const speed = (from: number, to: number) =>
      run('model-throughput', { deployment: 'gpt-4o', bucket: '1h', start: iso(from), end: iso(to) });
    const avg = (rows: Row[]) => rows.reduce((s, r) => s + (r.TokensPerSecond as number), 0) / rows.length;
    const change = startMs + LATENCY_EPISODE.changeAt;
    const ratio = avg(speed(change - 2 * HOUR, change)) / avg(speed(change, change + 2 * HOUR));
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(3);
  });

  it('deployment-latency-change: each rollout with the P95 before and after; only gpt-4o’s got slower', () => {
    const rows = run('deployment-latency-change', { window: '4d' });
    expect(rows.map((r) => [r.Deployment, r.RolledOutAt])).toEqual([
      ['gpt-4o', iso(startMs + LATENCY_EPISODE.changeAt)],
      ['gpt-4.1', iso(startMs - 3 * DAY)],
    ]);
    expect(rows[0]).toMatchObject({
      FromVersion: LATENCY_EPISODE.fromVersion,
      ToVersion: LATENCY_EPISODE.toVersion,
    });
    expect(rows[0]!.Change as number).toBeGreaterThan(1.8);
    expect(Math.abs((rows[1]!.Change as number) - 1)).toBeLessThan(0.25);
    expect(run('deployment-latency-change', { window: '4d', deployment: 'gpt-4.1' })).toHaveLength(1);
  });
});

describe('the exported platform metrics’ vetted queries over AzureMetrics', () => {
  it('aoai-exported-volume: the requests per minute are the application’s requests (× ItemCount), against the resource quota', () => {
    const rows = run('aoai-exported-volume', { window: '10m', bucket: '1m' });
    expect(rows.length).toBeGreaterThanOrEqual(9);
    const minute = rows.at(-1)!;
    const at = Date.parse(String(minute.TimeGenerated));
    const [[requests]] =
      raw(`AppRequests | where TimeGenerated >= datetime(${iso(at)}) and TimeGenerated < datetime(${iso(at + MINUTE)})
      | where isnotempty(tostring(Properties["deployment"])) | summarize sum(ItemCount)`) as [[number]];
    expect(minute.RequestsPerMin).toBe(requests);
    expect(minute.QuotaTpm).toBe(4_150_000);
    expect(minute.QuotaUsedPct).toBeCloseTo((100 * (minute.PeakTpm as number)) / 4_150_000, 1);
  });

  it('aoai-exported-latency: the time to response of the whole resource per bucket', () => {
    const rows = run('aoai-exported-latency', { window: '1h', bucket: '15m' });
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r.MaxMs as number).toBeGreaterThanOrEqual(r.AvgMs as number);
  });

  it('prints the query times on the local engine (2 days of derived tables, 4 of requests)', () => {
    expect(timings.size).toBe(10);
    console.log([...timings].map(([id, ms]) => `${id} ${ms.toFixed(0)} ms`).join('\n'));
  });
});
