import { describe, expect, it, vi } from 'vitest';
import type { Incident } from '../../../core/alerts/incident.ts';
import type { ChatPlace, ChatUser } from '../../../core/chat-surface.ts';
import { ManualClock } from '../../../core/clock.ts';
import { collectEvidence } from '../../../handlers/queries/collect-evidence.ts';
import { evidenceFor } from '../../../handlers/queries/evidence-policy.ts';
import { withCoalescedRuns } from '../../../queries/backends/coalesced-logs.ts';
import type { LogsBackend } from '../../../queries/backends/logs-backend.ts';
import { createSimulatedLogsBackend } from '../../../sim/telemetry/simulated-logs.ts';

const DAY = 86_400_000;

function setup() {
  const clock = new ManualClock();
  const local = createSimulatedLogsBackend(clock, { historyMs: DAY });
  const engineRuns = vi.spyOn(local.telemetry.engine, 'run');
  return { clock, local, engineRuns, backend: withCoalescedRuns(local) };
}

const incidentOn = (id: number, deployment: string) =>
  ({ id, kind: 'aoai-throttling', resource: { deployment } }) as unknown as Incident;

describe('coalesced log runs', () => {
  it('runs each distinct evidence query once for a burst of incidents about the same deployments', async () => {
    const { clock, local, engineRuns, backend } = setup();
    const incidents = Array.from({ length: 30 }, (_, i) =>
      incidentOn(i + 1, i % 3 === 0 ? 'gpt-4o-mini' : 'gpt-4o'),
    );
    const all = await Promise.all(
      incidents.map((inc) =>
        collectEvidence(backend, inc, evidenceFor(inc, clock.now()), 5_000, () => clock.now()),
      ),
    );
    const distinct = new Set(
      incidents.flatMap((inc) => evidenceFor(inc, clock.now()).map((q) => JSON.stringify(q))),
    ).size;
    expect(distinct).toBeGreaterThan(1);
    expect(engineRuns).toHaveBeenCalledTimes(distinct);
    // Every incident gets the answer its own run would have given.
    const alone = await collectEvidence(
      local,
      incidents[1]!,
      evidenceFor(incidents[1]!, clock.now()),
      5_000,
      () => clock.now(),
    );
    expect(all[1]!.items).toEqual(alone.items);
    expect(all.every((e) => e.items.every((item) => item.outcome.status === 'ok'))).toBe(true);
    expect(backend.inFlight).toBe(0);
  });

  it('withdraws a shared run only when every incident waiting for it has withdrawn', async () => {
    const clock = new ManualClock();
    const seen: AbortSignal[] = [];
    let answer!: () => void;
    const inner: LogsBackend = {
      kind: 'local',
      catalog: createSimulatedLogsBackend(clock, { historyMs: DAY }).catalog,
      run: (_id, _params, options) => {
        seen.push(options!.signal!);
        return new Promise((resolve) => {
          answer = () => resolve({} as never);
        });
      },
    };
    const backend = withCoalescedRuns(inner);
    const a = new AbortController();
    const b = new AbortController();
    const first = backend.run('token-usage', { window: '2h' }, { signal: a.signal });
    const second = backend.run('token-usage', { window: '2h' }, { signal: b.signal });
    expect(seen).toHaveLength(1);
    a.abort();
    await expect(first).rejects.toMatchObject({ code: 'QUERY_CANCELLED' });
    expect(seen[0]!.aborted).toBe(false);
    b.abort();
    await expect(second).rejects.toMatchObject({ code: 'QUERY_CANCELLED' });
    expect(seen[0]!.aborted).toBe(true);
    // The withdrawn run is not shared any more: the next ask starts its own.
    const third = backend.run('token-usage', { window: '2h' });
    expect(seen).toHaveLength(2);
    answer();
    await third;
  });

  it('keeps nothing after a run: the next query runs again and sees newer rows', async () => {
    const { clock, engineRuns, backend } = setup();
    const first = await backend.run('token-usage', { window: '2h' });
    clock.advance(10 * 60_000);
    const second = await backend.run('token-usage', { window: '2h' });
    expect(engineRuns).toHaveBeenCalledTimes(2);
    expect(second).not.toBe(first);
  });

  it('shares only identical queries: other parameters, other timeouts and named callers run alone', async () => {
    const { engineRuns, backend } = setup();
    const user = { platform: 'console', id: 'alice' } as unknown as ChatUser;
    const place = { platform: 'console', channelId: 'dm-alice', isDirect: true } as unknown as ChatPlace;
    await Promise.all([
      backend.run('throttle-rate', { deployment: 'gpt-4o', window: '30m' }),
      backend.run('throttle-rate', { window: '30m', deployment: 'gpt-4o' }),
      backend.run('throttle-rate', { deployment: 'o3-mini', window: '30m' }),
      backend.run('throttle-rate', { deployment: 'gpt-4o', window: '30m' }, { timeoutMs: 1_000 }),
      backend.run('throttle-rate', { deployment: 'gpt-4o', window: '30m' }, { caller: { user, place } }),
    ]);
    // The first two are the same query written in another order.
    expect(engineRuns).toHaveBeenCalledTimes(4);
  });

  it('a failed run fails the callers that shared it, and the next caller runs it again', async () => {
    const { clock, local } = setup();
    let calls = 0;
    const flaky: LogsBackend = {
      ...local,
      run: async (...args) => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('worker stopped'), { code: 'WORKER_CRASHED' });
        return local.run(...args);
      },
    };
    const backend = withCoalescedRuns(flaky);
    const shared = await Promise.allSettled([
      backend.run('token-usage', { window: '1h' }),
      backend.run('token-usage', { window: '1h' }),
    ]);
    expect(shared.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    clock.advance(1_000);
    await expect(backend.run('token-usage', { window: '1h' })).resolves.toMatchObject({
      query: { id: 'token-usage' },
    });
    expect(calls).toBe(2);
  });

  it('tells every caller sharing a run when it starts, so each one times the run and not the wait', async () => {
    const { local } = setup();
    let letIn!: () => void;
    let finish!: () => void;
    const engineFree = new Promise<void>((resolve) => {
      letIn = resolve;
    });
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let starts = 0;
    // An engine busy with something else until `letIn`: the shared run waits in line first.
    const queued: LogsBackend = {
      ...local,
      run: async (id, params, options) => {
        await engineFree;
        starts++;
        options?.onStarted?.();
        await done;
        return local.run(id, params);
      },
    };
    const backend = withCoalescedRuns(queued);
    const started: string[] = [];
    const q = ['token-usage', { window: '1h' }] as const;
    const a = backend.run(...q, { onStarted: () => started.push('a') });
    const b = backend.run(...q, { onStarted: () => started.push('b') });
    await Promise.resolve();
    expect(started, 'nobody has started while the engine is busy').toEqual([]);
    letIn();
    await vi.waitFor(() => expect(started).toEqual(['a', 'b']));
    // A caller joining a run that has started is told at once.
    const c = backend.run(...q, { onStarted: () => started.push('c') });
    expect(started).toEqual(['a', 'b', 'c']);
    finish();
    await Promise.all([a, b, c]);
    expect(starts).toBe(1);
  });
});
