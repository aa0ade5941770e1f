import { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../../bot/policy.ts';
import { ManualClock } from '../../../../core/clock.ts';
import type { Logger } from '../../../../core/logger.ts';
import type { Store } from '../../../../core/store.ts';
import { ingestAlerts } from '../../../../handlers/alerts/ingest.ts';
import { createDetectorMetrics } from '../../../../handlers/detectors/detector-metrics.ts';
import { DetectorScheduler } from '../../../../handlers/detectors/detector-scheduler.ts';
import { configuredDetectors, detectorsPolicy } from '../../../../handlers/detectors/detectors-policy.ts';
import { createLocalLogsBackend } from '../../../../queries/backends/local-logs.ts';
import type { LogsBackend } from '../../../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../../../queries/catalog.ts';
import { KqlEngine } from '../../../../queries/engine/engine.ts';
import { EPISODES, MINUTE } from '../../../../sim/telemetry/profile.ts';
import { openSqliteStore } from '../../../../store/sqlite/sqlite-store.ts';
import { STORY_START, simulatedWorkspace } from '../../../helpers/detector-world.ts';

/** A logger that keeps the warnings' codes. */
function capturingLogger(warnings: string[]): Logger {
  const quiet = () => undefined;
  return {
    debug: quiet,
    info: quiet,
    error: quiet,
    warn: (fields: object | string) => {
      if (typeof fields === 'object') warnings.push(String((fields as { code?: string }).code));
    },
  } as Logger;
}

describe('the detector scheduler, through the alert pipeline', () => {
  const clock = new ManualClock(STORY_START);
  let story: LogsBackend;
  beforeAll(() => {
    story = simulatedWorkspace(clock, true);
  }, 60_000);

  function scheduler(
    store: Store,
    logs: LogsBackend,
    ids: string[],
    extra: { registry?: Registry; warnings?: string[] } = {},
  ) {
    const policy = detectorsPolicy.parse({ firstRunAfter: '2m' });
    const targets = [{ surface: 'console' as const, channel: 'oncall' }];
    return new DetectorScheduler({
      detectors: configuredDetectors(policy).filter((c) => ids.includes(c.detector.id)),
      logs,
      gpuMetrics: undefined,
      cost: defaultPolicy().cost,
      ingest: (alerts) => ingestAlerts({ store, policy: defaultPolicy(), targets, clock }, alerts),
      store,
      clock,
      logger: capturingLogger(extra.warnings ?? []),
      metrics: extra.registry && createDetectorMetrics(extra.registry),
      startedAt: clock.now(),
      firstRunAfterMs: policy.firstRunAfter,
      clearAfterRuns: policy.clearAfterRuns,
      onQueued: () => undefined,
    });
  }

  async function runAt(s: DetectorScheduler, at: number): Promise<void> {
    clock.set(at);
    s.tick();
    await s.idle();
  }

  it('waits its first run, opens a P1 for a silent outage and resolves it after two clear runs', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const from = STORY_START + EPISODES.outageFrom;
    clock.set(from + 13 * MINUTE);
    const s = scheduler(store, story, ['silent-outage']);
    await runAt(s, from + 14 * MINUTE);
    expect(await store.incidents.listOpen(10)).toEqual([]); // the first run waits 2 minutes after start
    await runAt(s, from + 15 * MINUTE);
    const [incident] = await store.incidents.listOpen(10);
    expect(incident).toMatchObject({
      source: 'detector',
      kind: 'outage',
      tier: 'P1',
      resource: { deployment: 'o3-mini' },
    });
    expect(incident!.title).toMatch(/^Silent outage: o3-mini answered none of \d+ requests in 15m$/);
    await runAt(s, from + 20 * MINUTE); // still failing: the same incident
    expect(await store.incidents.listOpen(10)).toHaveLength(1);
    await runAt(s, from + 45 * MINUTE); // clear once: still open (clearAfterRuns 2)
    expect((await store.incidents.get(incident!.id))!.status).toBe('open');
    await runAt(s, from + 50 * MINUTE);
    expect((await store.incidents.get(incident!.id))!.status).toBe('resolved');
    expect(await store.alerts.count()).toBe(1);
  }, 60_000);

  it('a restarted bot picks up what its detector had firing and resolves it when clear', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const from = STORY_START + EPISODES.outageFrom;
    clock.set(from);
    await runAt(scheduler(store, story, ['silent-outage']), from + 21 * MINUTE);
    const [incident] = await store.incidents.listOpen(10);
    clock.set(from + 43 * MINUTE);
    const restarted = scheduler(store, story, ['silent-outage']);
    await runAt(restarted, from + 45 * MINUTE);
    await runAt(restarted, from + 50 * MINUTE);
    expect((await store.incidents.get(incident!.id))!.status).toBe('resolved');
  }, 60_000);

  it('a detector that cannot run says so once, as a blind spot, and clears it when it runs again', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const registry = new Registry();
    const warnings: string[] = [];
    // A workspace without the AppRequests table: the query fails.
    const empty = createLocalLogsBackend({
      catalog: KQL_CATALOG,
      engine: new KqlEngine({ now: () => clock.now() }),
    });
    let current = empty;
    const switching: LogsBackend = {
      kind: 'local',
      catalog: KQL_CATALOG,
      run: (...args) => current.run(...args),
    };
    clock.set(STORY_START);
    const s = scheduler(store, switching, ['silent-outage'], { registry, warnings });
    await runAt(s, STORY_START + 2 * MINUTE);
    const said = await store.outbox.pendingCount();
    const [first] = await store.incidents.listOpen(10);
    await runAt(s, STORY_START + 7 * MINUTE);
    const [blind] = await store.incidents.listOpen(10);
    // The second run's identical alert is a re-delivery: counted, no card change, no message.
    expect(blind!.version).toBe(first!.version);
    expect(await store.outbox.pendingCount()).toBe(said);
    expect(blind).toMatchObject({ kind: 'detector-blind-spot', tier: 'P3', source: 'detector' });
    expect(blind!.title).toBe('Blind spot: the silent outage detector cannot run');
    expect(warnings.filter((w) => w === 'DETECTOR_BLIND_SPOT')).toHaveLength(1);
    expect((await store.alerts.listByIncident(blind!.id))[0]!.receiveCount).toBe(2);
    current = story;
    await runAt(s, STORY_START + 12 * MINUTE);
    expect((await store.incidents.get(blind!.id))!.status).toBe('resolved');
    const text = await registry.metrics();
    expect(text).toMatch(/oncall_bot_detector_runs_total\{detector="silent-outage",outcome="blind"\} 2/);
    expect(text).toMatch(/oncall_bot_detector_runs_total\{detector="silent-outage",outcome="clear"\} 1/);
    expect(text).toMatch(
      /oncall_bot_detector_run_duration_seconds_count\{detector="silent-outage",outcome="clear"\} 1/,
    );
  }, 60_000);

  it('policy: unknown detectors and bad parameters are refused with the path', () => {
    const bad = detectorsPolicy.safeParse({
      rules: { 'no-such': {}, 'model-drift': { params: { minSample: 5 } } },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages[0]).toMatch(
      /^rules\.no-such: there is no detector "no-such"; the detectors are silent-outage, model-drift/,
    );
    expect(messages[1]).toMatch(/^rules\.model-drift\.params\.minSample: /);
    const off = configuredDetectors(
      detectorsPolicy.parse({ rules: { 'model-drift': { enabled: false, every: '1h' } } }),
    );
    expect(off.map((c) => c.detector.id)).not.toContain('model-drift');
    const tuned = configuredDetectors(
      detectorsPolicy.parse({ rules: { 'silent-outage': { every: '1m', tier: 'P2' } } }),
    );
    expect(tuned.find((c) => c.detector.id === 'silent-outage')).toMatchObject({
      everyMs: 60_000,
      tier: 'P2',
    });
    expect(configuredDetectors(detectorsPolicy.parse({ enabled: false }))).toEqual([]);
  });
});
