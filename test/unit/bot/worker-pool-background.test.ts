import { afterAll, describe, expect, it, vi } from 'vitest';
import { WorkerPool } from '../../../core/workers/worker-pool.ts';

type Task = { kind: 'echo'; value: unknown } | { kind: 'hold'; value: SharedArrayBuffer };

const release = (gate: SharedArrayBuffer) => {
  Atomics.store(new Int32Array(gate), 0, 1);
  Atomics.notify(new Int32Array(gate), 0);
};

describe('WorkerPool background lane (the detectors’ queries)', () => {
  const pools: WorkerPool<Task, unknown>[] = [];
  /** A pool whose threads have set themselves up, so tasks reach them at once. */
  const pool = async (size: number) => {
    const p = new WorkerPool<Task, unknown>({
      entry: new URL('../../fixtures/workers/echo-worker.ts', import.meta.url),
      size,
      name: `test-background-${size}`,
    });
    pools.push(p);
    await p.ready();
    return p;
  };
  afterAll(async () => {
    for (const p of pools) await p.close();
  });

  it('never takes the last free thread: a question or evidence starts at once beside it', async () => {
    const two = await pool(2);
    const gate = new SharedArrayBuffer(4);
    const held = two.run({ kind: 'hold', value: gate }, { background: true });
    const secondStarted = vi.fn();
    const second = two.run({ kind: 'echo', value: 'bg' }, { background: true, onStart: secondStarted });
    const fgStarted = vi.fn();
    expect(await two.run({ kind: 'echo', value: 'fg' }, { onStart: fgStarted })).toBe('fg');
    expect(fgStarted).toHaveBeenCalledOnce();
    expect(secondStarted).not.toHaveBeenCalled(); // one thread stays free while one background task runs
    release(gate);
    await held;
    expect(await second).toBe('bg');
  });

  it('waits behind every foreground task, even ones queued after it', async () => {
    const one = await pool(1);
    const gate = new SharedArrayBuffer(4);
    const order: string[] = [];
    const held = one.run({ kind: 'hold', value: gate });
    const bg = one.run({ kind: 'echo', value: 'bg' }, { background: true, onStart: () => order.push('bg') });
    const fg = one.run({ kind: 'echo', value: 'fg' }, { onStart: () => order.push('fg') });
    expect(one.waiting).toBe(2);
    release(gate);
    await Promise.all([held, bg, fg]);
    expect(order).toEqual(['fg', 'bg']);
  });

  it('a withdrawn background task never runs', async () => {
    const one = await pool(1);
    const gate = new SharedArrayBuffer(4);
    const held = one.run({ kind: 'hold', value: gate });
    const abort = new AbortController();
    const bg = one.run({ kind: 'echo', value: 'bg' }, { background: true, signal: abort.signal });
    abort.abort();
    await expect(bg).rejects.toMatchObject({ code: 'TASK_CANCELLED' });
    expect(one.waiting).toBe(0);
    release(gate);
    await held;
  });
});
