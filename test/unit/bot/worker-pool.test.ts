import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UserFacingError } from '../../../core/errors.ts';
import { threadNiceness } from '../../../core/workers/thread-priority.ts';
import { WorkerPool } from '../../../core/workers/worker-pool.ts';

type Task = { kind: 'echo' | 'refuse' | 'crash'; value?: unknown };

describe('WorkerPool', () => {
  const pool = new WorkerPool<Task, unknown>({
    entry: new URL('../../fixtures/workers/echo-worker.ts', import.meta.url),
    size: 2,
    name: 'test-echo',
  });
  afterAll(() => pool.close());

  it('runs TypeScript workers and returns their values in order', async () => {
    const values = await Promise.all(
      Array.from({ length: 10 }, (_, i) => pool.run({ kind: 'echo', value: { i, at: new Date(i) } })),
    );
    expect(values).toEqual(Array.from({ length: 10 }, (_, i) => ({ i, at: new Date(i) })));
  });

  it('hands a worker no task before it has set itself up: set-up is waiting, not running', async () => {
    const gate = new SharedArrayBuffer(4);
    const slow = new WorkerPool<{ value: unknown }, unknown>({
      entry: new URL('../../fixtures/workers/slow-setup-worker.ts', import.meta.url),
      size: 1,
      name: 'test-slow-setup',
      workerData: { gate },
    });
    try {
      let started = false;
      const run = slow.run({ value: 'x' }, { onStart: () => (started = true) });
      await new Promise((r) => setTimeout(r, 300));
      expect(started).toBe(false);
      Atomics.store(new Int32Array(gate), 0, 1);
      Atomics.notify(new Int32Array(gate), 0);
      await slow.ready();
      expect(await run).toBe('x');
      expect(started).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('revives a user-facing error with its class, code and text', async () => {
    const err = await pool.run({ kind: 'refuse' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserFacingError);
    expect(err).toMatchObject({ code: 'NOPE', message: 'Not that one.' });
  });

  it('fails only the task of a worker that dies, and replaces the worker', async () => {
    const [crashed, fine] = await Promise.allSettled([
      pool.run({ kind: 'crash' }),
      pool.run({ kind: 'echo', value: 1 }),
    ]);
    expect(crashed).toMatchObject({ status: 'rejected', reason: { code: 'WORKER_CRASHED' } });
    expect(fine).toEqual({ status: 'fulfilled', value: 1 });
    expect(await pool.run({ kind: 'echo', value: 2 })).toBe(2);
  });

  it('drops a task withdrawn while it waits for a thread; one already running runs to its end', async () => {
    const single = new WorkerPool<Task | { kind: 'hold'; value: SharedArrayBuffer }, unknown>({
      entry: new URL('../../fixtures/workers/echo-worker.ts', import.meta.url),
      size: 1,
      name: 'test-withdraw',
    });
    await single.ready();
    const gate = new SharedArrayBuffer(4);
    const running = new AbortController();
    const held = single.run({ kind: 'hold', value: gate }, { signal: running.signal });
    const waiting = new AbortController();
    const started = vi.fn();
    const queued = single.run({ kind: 'echo', value: 'late' }, { signal: waiting.signal, onStart: started });
    expect(single.waiting).toBe(1);
    waiting.abort();
    running.abort();
    await expect(queued).rejects.toMatchObject({ code: 'TASK_CANCELLED' });
    expect(single.waiting).toBe(0);
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    expect(await held).toBe('released');
    expect(started).not.toHaveBeenCalled();
    await single.close();
  });

  it('refuses work once closed', async () => {
    const closing = new WorkerPool<Task, unknown>({
      entry: new URL('../../fixtures/workers/echo-worker.ts', import.meta.url),
      size: 1,
      name: 'test-closed',
    });
    expect(await closing.run({ kind: 'echo', value: 'x' })).toBe('x');
    await closing.close();
    await expect(closing.run({ kind: 'echo' })).rejects.toMatchObject({ code: 'WORKER_POOL_CLOSED' });
  });

  it('starts its threads when warmed, before the first task', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-warm-'));
    const markPath = join(dir, 'loaded');
    const warmed = new WorkerPool<{ value: unknown }, unknown>({
      entry: new URL('../../fixtures/workers/mark-on-load-worker.ts', import.meta.url),
      workerData: { markPath },
      size: 1,
      name: 'test-warm',
    });
    try {
      expect(existsSync(markPath), 'no thread before warm()').toBe(false);
      warmed.warm();
      await vi.waitFor(() => expect(existsSync(markPath)).toBe(true), { timeout: 20_000, interval: 20 });
      expect(await warmed.run({ value: 'x' })).toBe('x');
    } finally {
      await warmed.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells a caller when its task leaves the line for a thread, not before', async () => {
    const single = new WorkerPool<Task, unknown>({
      entry: new URL('../../fixtures/workers/echo-worker.ts', import.meta.url),
      size: 1,
      name: 'test-start',
    });
    await single.ready();
    try {
      const started: string[] = [];
      const first = single.run({ kind: 'echo', value: 'a' }, { onStart: () => started.push('a') });
      const second = single.run({ kind: 'echo', value: 'b' }, { onStart: () => started.push('b') });
      // The one thread took the first task; the second waits for it.
      expect(started).toEqual(['a']);
      expect(single.waiting).toBe(1);
      expect(await first).toBe('a');
      expect(started).toEqual(['a', 'b']);
      expect(await second).toBe('b');
    } finally {
      await single.close();
    }
  });

  it.runIf(process.platform === 'linux')(
    'runs its threads at the niceness asked for, and leaves the calling thread as it was',
    async () => {
      const before = threadNiceness();
      const nice = new WorkerPool<null, number | null>({
        entry: new URL('../../fixtures/workers/niceness-worker.ts', import.meta.url),
        size: 1,
        name: 'test-nice',
        niceness: 10,
      });
      const plain = new WorkerPool<null, number | null>({
        entry: new URL('../../fixtures/workers/niceness-worker.ts', import.meta.url),
        size: 1,
        name: 'test-plain',
      });
      try {
        expect(await nice.run(null)).toBe(Math.max(10, before ?? 0));
        expect(await plain.run(null)).toBe(before);
        expect(threadNiceness()).toBe(before);
      } finally {
        await Promise.all([nice.close(), plain.close()]);
      }
    },
  );
});
