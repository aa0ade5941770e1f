import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { QueryParamError } from '../../../queries/backends/logs-backend.ts';
import { createSimulatedLogsBackend } from '../../../sim/telemetry/simulated-logs.ts';
import { createThreadedSimulatedLogsBackend } from '../../../sim/telemetry/threaded-logs.ts';

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
