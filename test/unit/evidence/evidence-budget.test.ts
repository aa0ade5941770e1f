import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Incident } from '../../../core/alerts/incident.ts';
import { ManualClock } from '../../../core/clock.ts';
import { collectEvidence } from '../../../handlers/queries/collect-evidence.ts';
import { createLocalLogsBackend } from '../../../queries/backends/local-logs.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { SimulatedTelemetry } from '../../../sim/telemetry/telemetry.ts';

const BUDGET_MS = 10_000;
const incident = {
  id: 3,
  kind: 'aoai-throttling',
  resource: { deployment: 'gpt-4o' },
} as unknown as Incident;
const query = { queryId: 'throttle-rate', params: { deployment: 'gpt-4o', window: '30m', bucket: '5m' } };

/**
 * The local backend with one engine that is busy for `busyMs` with someone else's query before
 * this one gets it, and then takes `runMs` (on the injected clock and the timers alike). The rows
 * are the simulated telemetry's, run by the real engine.
 */
function busyEngine(clock: ManualClock, busyMs: number, runMs: number) {
  const telemetry = new SimulatedTelemetry({ clock, historyMs: 3_600_000 });
  const pause = (ms: number) =>
    new Promise<void>((resolve) =>
      setTimeout(() => {
        clock.advance(ms);
        resolve();
      }, ms),
    );
  return createLocalLogsBackend({
    catalog: KQL_CATALOG,
    runQuery: async (text, onStarted) => {
      await pause(busyMs);
      onStarted();
      telemetry.refresh();
      const result = telemetry.engine.run(text);
      await pause(runMs);
      return result;
    },
  });
}

describe('evidence budget', () => {
  let clock: ManualClock;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    clock = new ManualClock();
  });
  afterEach(() => vi.useRealTimers());

  async function collect(busyMs: number, runMs: number) {
    const collecting = collectEvidence(busyEngine(clock, busyMs, runMs), incident, [query], BUDGET_MS, () =>
      clock.now(),
    );
    await vi.advanceTimersByTimeAsync(busyMs + runMs + 3 * BUDGET_MS);
    const { items } = await collecting;
    return items[0]!;
  }

  it('does not count the wait for a busy engine against the query: 15 s in line, 2 s running is an answer', async () => {
    const item = await collect(15_000, 2_000);
    expect(item.outcome.status).toBe('ok');
    expect(item.timing).toEqual({ queuedMs: 15_000, runMs: 2_000 });
  });

  it('still times out a query that runs longer than the budget once it has an engine', async () => {
    const item = await collect(0, 12_000);
    expect(item.outcome).toEqual({ status: 'unavailable', reason: 'timed out (no answer within 10 s)' });
  });

  it('gives up on a query that cannot get an engine within two budgets, and says that it never ran', async () => {
    const item = await collect(25_000, 1_000);
    expect(item.outcome).toEqual({
      status: 'unavailable',
      reason: 'not run: no free query engine within 20 s',
    });
  });
});
