import { describe, expect, it, vi } from 'vitest';
import type { Incident } from '../../../core/alerts/incident.ts';
import { ManualClock } from '../../../core/clock.ts';
import { collectEvidence } from '../../../handlers/queries/collect-evidence.ts';
import { type LogsBackend, QueryParamError } from '../../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { EPISODES } from '../../../sim/telemetry/profile.ts';
import { createSimulatedLogsBackend } from '../../../sim/telemetry/simulated-logs.ts';

const DAY = 86_400_000;
const clock = new ManualClock();
const backend = createSimulatedLogsBackend(clock, { historyMs: 2 * DAY });

const col = (run: Awaited<ReturnType<LogsBackend['run']>>, name: string) => {
  const i = run.result.columns.findIndex((c) => c.name === name);
  return run.result.rows.map((r) => r[i]);
};

describe('the local logs backend over simulated telemetry', () => {
  it('validates parameters with the query’s zod schema and binds them into the reviewed text', async () => {
    const run = await backend.run('token-usage', { window: '2h' });
    expect(run.params).toEqual({ window: 7_200_000 });
    expect(run.text.startsWith('let window = 7200000ms; let start = datetime(null);')).toBe(true);
    expect(run.text.slice(run.text.indexOf('\n'))).toBe(
      KQL_CATALOG.get('token-usage')!.text.slice(KQL_CATALOG.get('token-usage')!.text.indexOf('\n')),
    );
    expect(col(run, 'Deployment')).toContain('gpt-4o');
    expect(run.result.partial).toBe(false);
  });

  it('a deployment parameter narrows the rows; hostile values never reach the query text', async () => {
    const all = await backend.run('zero-success', { window: '1h' });
    expect(all.result.rows).toEqual([]);
    const gpt = await backend.run('throttle-rate', { deployment: 'gpt-4o', window: '1h', bucket: '1h' });
    const every = await backend.run('throttle-rate', { window: '1h', bucket: '1h' });
    const total = (r: typeof gpt) => col(r, 'Total').reduce((a: number, b) => a + Number(b), 0);
    expect(total(gpt)).toBeGreaterThan(0);
    expect(total(gpt)).toBeLessThan(total(every));
    for (const hostile of ['x" | take 1', 'a\nb', 'gpt;4o', '😀', 'x'.repeat(100)]) {
      await expect(backend.run('throttle-rate', { deployment: hostile })).rejects.toThrow(QueryParamError);
    }
    await expect(backend.run('error-spike', { min_ratio: '0.5' })).rejects.toThrow(
      /Parameter "min_ratio" of error-spike: expected a number between 1 and 100/,
    );
  });

  it('appends live rows as the clock moves on', async () => {
    backend.telemetry.refresh();
    const before = backend.telemetry.requestCount();
    clock.advance(3 * 60_000);
    const run = await backend.run('traffic-latency-errors', { window: '10m', bucket: '1m' });
    expect(backend.telemetry.requestCount()).toBeGreaterThan(before);
    const times = col(run, 'TimeGenerated');
    expect(times.at(-1)).toBe(
      new Date(clock.now() - 60_000 - (clock.now() % 60_000)).toISOString().replace('.000Z', 'Z'),
    );
  });

  it('tells the outage story: zero successes while o3-mini was down', async () => {
    const outageClock = new ManualClock();
    // Place the scenario start so that the past outage began 10 minutes ago.
    const start = outageClock.now() - EPISODES.outageFrom - 10 * 60_000;
    const b = createSimulatedLogsBackend(outageClock, { startMs: start, historyMs: DAY / 24 });
    const run = await b.run('zero-success', { window: '5m' });
    expect(col(run, 'Deployment')).toEqual(['o3-mini']);
    expect(col(run, 'ResultCodes')).toEqual(['["503"]']);
  });
});

describe('evidence collection', () => {
  const incident = {
    id: 7,
    kind: 'aoai-throttling',
    resource: { deployment: 'gpt-4o' },
  } as unknown as Incident;

  it('turns a query that never answers into "unavailable: timed out" within the budget', async () => {
    vi.useFakeTimers();
    try {
      // It gets an engine at once (the budget runs from there) and then never answers.
      const stuck: LogsBackend = {
        ...backend,
        run: (_id, _params, options) => {
          options?.onStarted?.();
          return new Promise(() => {});
        },
      };
      const pending = collectEvidence(
        stuck,
        incident,
        [{ queryId: 'throttle-rate', params: {} }],
        500,
        () => 1,
      );
      await vi.advanceTimersByTimeAsync(500);
      const ev = await pending;
      expect(ev.items[0]!.outcome).toEqual({
        status: 'unavailable',
        reason: 'timed out (no answer within 0.5 s)',
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('never leaks internal error text, only its code', async () => {
    const failing: LogsBackend = {
      ...backend,
      run: async () => {
        throw Object.assign(new Error('socket hang up at 10.0.0.3'), { code: 'ECONNRESET' });
      },
    };
    const ev = await collectEvidence(
      failing,
      incident,
      [{ queryId: 'throttle-rate', params: {} }],
      500,
      () => 1,
    );
    expect(ev.items[0]!.outcome).toEqual({ status: 'unavailable', reason: 'ECONNRESET' });
  });
});
