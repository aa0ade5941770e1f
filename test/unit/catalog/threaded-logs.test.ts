import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { QueryParamError } from '../../../queries/backends/logs-backend.ts';
import { createSimulatedLogsBackend } from '../../../sim/telemetry/simulated-logs.ts';
import {
  createThreadedSimulatedLogsBackend,
  MAX_LOCAL_KQL_THREADS,
} from '../../../sim/telemetry/threaded-logs.ts';

const HOUR = 3_600_000;

describe('the local logs backend in a worker thread', () => {
  const clock = new ManualClock();
  const options = { startMs: clock.now(), historyMs: 6 * HOUR };
  const threaded = createThreadedSimulatedLogsBackend(clock, options);
  const inline = createSimulatedLogsBackend(clock, options);
  afterAll(() => threaded.close());

  it('answers exactly what the same telemetry on this thread answers', async () => {
    const params = { deployment: 'gpt-4o', window: '6h', bucket: '15m' };
    const [a, b] = await Promise.all([
      threaded.run('throttle-rate', params),
      inline.run('throttle-rate', params),
    ]);
    expect(a.result.rows.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  it('follows the parent clock: minutes that pass appear in the worker too', async () => {
    clock.advance(5 * 60_000);
    const params = { window: '10m', bucket: '1m' };
    const [a, b] = await Promise.all([
      threaded.run('traffic-latency-errors', params),
      inline.run('traffic-latency-errors', params),
    ]);
    expect(a.result.rows).toEqual(b.result.rows);
  });

  it('refuses bad parameters before the worker sees them', async () => {
    await expect(threaded.run('throttle-rate', { deployment: 'x" | take 1' })).rejects.toThrow(
      QueryParamError,
    );
  });
});

describe('the local KQL engine sized to the machine', () => {
  const clock = new ManualClock();
  const options = { startMs: clock.now(), historyMs: HOUR };

  it('has a thread per core (up to the cap), and runs concurrent queries side by side', async () => {
    const threaded = createThreadedSimulatedLogsBackend(clock, options);
    const single = createThreadedSimulatedLogsBackend(clock, { ...options, threads: 1 });
    try {
      expect(threaded.threads).toBe(Math.min(availableParallelism(), MAX_LOCAL_KQL_THREADS));
      // Each thread builds its tables before it takes a task (that is waiting, not running).
      await Promise.all([threaded.ready(), single.ready()]);
      const startedOn = (backend: typeof threaded) => {
        let started = 0;
        const runs = ['gpt-4o', 'o3-mini'].map((deployment) =>
          backend.run(
            'throttle-rate',
            { deployment, window: '1h', bucket: '5m' },
            { onStarted: () => started++ },
          ),
        );
        // Both tasks reach a thread at once when there are two; with one, the second waits.
        return { started, done: Promise.all(runs) };
      };
      const many = startedOn(threaded);
      const one = startedOn(single);
      expect(many.started).toBe(Math.min(2, threaded.threads));
      expect(one.started).toBe(1);
      await Promise.all([many.done, one.done]);
    } finally {
      await Promise.all([threaded.close(), single.close()]);
    }
  });
});
