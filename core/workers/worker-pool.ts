import type { Worker } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import { spawnWorker } from './spawn-worker.ts';
import { reviveError, type WORKER_READY, type WorkerReply } from './worker-protocol.ts';

export interface WorkerPoolOptions {
  /** The worker module (see {@link spawnWorker}); it calls `serveTasks`. */
  entry: URL;
  /** Given to every worker at start, e.g. the seed of data it builds for itself. */
  workerData?: Record<string, unknown>;
  /** Threads; each runs one task at a time. */
  size: number;
  /** Thread name prefix, shown in diagnostics. */
  name: string;
  /**
   * Niceness of the threads (0 normal … 19 lowest), e.g. `BACKGROUND_NICENESS` of
   * thread-priority.ts for work people ask for, so that it yields the cores to the event loop.
   */
  niceness?: number;
}

/** What a caller may learn of its task besides the answer. */
export interface RunHooks {
  /** Called when the task leaves the line for a thread: what came before was waiting, not work. */
  onStart?: () => void;
  /**
   * Withdraws the task while it waits for a thread (its promise rejects with TASK_CANCELLED and it
   * never runs). A task already on a thread runs to its end: a thread cannot be interrupted.
   */
  signal?: AbortSignal;
  /**
   * Background work (the bot's own detectors) yields to everything else: it leaves the line only
   * when no other task waits, and never holds the last free thread of a pool of two or more, so a
   * person's question or an incident's evidence never waits behind it for a thread.
   */
  background?: boolean;
}

/** A task withdrawn through its signal before a thread took it. */
export function cancelledTask(): AppError {
  return new AppError('TASK_CANCELLED', 'the task was withdrawn before it ran');
}

interface Pending<T, R> {
  id: number;
  task: T;
  hooks: RunHooks | undefined;
  resolve(value: R): void;
  reject(err: Error): void;
}

interface Slot<T, R> {
  worker: Worker;
  busy: Pending<T, R> | undefined;
  /** The worker said it is set up ({@link WORKER_READY}); no task is sent before. */
  ready: boolean;
  /** Resolves when it says so. */
  readied: Promise<void>;
  markReady: () => void;
}

/**
 * A fixed set of worker threads for CPU-heavy work, so the event loop keeps answering intake and
 * health while charts render and local queries run. Tasks queue in order; a worker that crashes
 * fails only its own task and is replaced. Threads do not keep the process alive; `close` ends them.
 */
export class WorkerPool<T, R> {
  private readonly slots: Slot<T, R>[] = [];
  private readonly queue: Pending<T, R>[] = [];
  /** Background tasks, in order: dispatched only when {@link queue} is empty (see RunHooks.background). */
  private readonly backgroundQueue: Pending<T, R>[] = [];
  private nextId = 1;
  private closed = false;
  /** Crashes since the last answered task: a worker that cannot even start is not restarted forever. */
  private crashes = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!(options.size >= 1)) throw new AppError('WORKER_POOL_CONFIG', 'a pool needs at least one thread');
  }

  /** Tasks waiting for a free thread. */
  get waiting(): number {
    return this.queue.length + this.backgroundQueue.length;
  }

  /**
   * Starts the threads now rather than with the first task, for a worker whose start-up is long
   * work (the local telemetry builds its tables as it loads) that should not land on a first query.
   */
  warm(): void {
    if (this.closed || this.slots.length > 0) return;
    for (let i = 0; i < this.options.size; i++) this.slots.push(this.start(i));
  }

  /** Runs one task on the next free thread. */
  run(task: T, hooks?: RunHooks): Promise<R> {
    if (this.closed) return Promise.reject(new AppError('WORKER_POOL_CLOSED', 'the worker pool is closed'));
    // Threads start with the first task unless warmed: a bot that never renders a chart never loads the renderer.
    this.warm();
    const signal = hooks?.signal;
    if (signal?.aborted) return Promise.reject(cancelledTask());
    return new Promise<R>((resolve, reject) => {
      const pending: Pending<T, R> = { id: this.nextId++, task, hooks, resolve, reject };
      const line = hooks?.background ? this.backgroundQueue : this.queue;
      const withdraw = () => {
        const at = line.indexOf(pending);
        if (at < 0) return; // on a thread already, or done
        line.splice(at, 1);
        reject(cancelledTask());
      };
      signal?.addEventListener('abort', withdraw, { once: true });
      const settled = () => signal?.removeEventListener('abort', withdraw);
      pending.resolve = (value) => {
        settled();
        resolve(value);
      };
      pending.reject = (err) => {
        settled();
        reject(err);
      };
      line.push(pending);
      this.dispatch();
    });
  }

  /** Starts the threads (if not yet) and resolves once every one has set itself up. */
  async ready(): Promise<void> {
    this.warm();
    await Promise.all(this.slots.map((s) => s.readied));
  }

  /** Ends every thread; queued and running tasks fail. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new AppError('WORKER_POOL_CLOSED', 'the worker pool is closed');
    for (const p of [...this.queue.splice(0), ...this.backgroundQueue.splice(0)]) p.reject(gone);
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.busy?.reject(gone);
        slot.busy = undefined;
        await slot.worker.terminate();
      }),
    );
  }

  private start(index: number): Slot<T, R> {
    const worker = spawnWorker(this.options.entry, this.options.workerData ?? {}, {
      name: `${this.options.name}-${index}`,
      ...(this.options.niceness !== undefined ? { niceness: this.options.niceness } : {}),
    });
    worker.unref();
    let markReady!: () => void;
    const readied = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const slot: Slot<T, R> = { worker, busy: undefined, ready: false, readied, markReady };
    worker.on('message', (reply: WorkerReply<R> | typeof WORKER_READY) => {
      if ('ready' in reply) {
        slot.ready = true;
        slot.markReady();
        this.dispatch();
        return;
      }
      const pending = slot.busy;
      if (!pending || pending.id !== reply.id) return;
      slot.busy = undefined;
      this.crashes = 0;
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(reviveError(reply.error));
      this.dispatch();
    });
    const replace = (err: Error) => {
      if (this.closed || this.slots[index] !== slot) return;
      const crashed = new AppError('WORKER_CRASHED', `${this.options.name} worker stopped: ${err.message}`);
      slot.busy?.reject(crashed);
      slot.busy = undefined;
      this.crashes += 1;
      if (this.crashes > 3 * this.options.size) {
        // Broken, not unlucky (e.g. the entry does not load): fail what waits rather than spin.
        for (const p of [...this.queue.splice(0), ...this.backgroundQueue.splice(0)]) p.reject(crashed);
        const others = this.slots.splice(0).filter((s) => s !== slot);
        for (const other of others) void other.worker.terminate();
        this.crashes = 0;
        return;
      }
      this.slots[index] = this.start(index);
      this.dispatch();
    };
    worker.on('error', replace);
    worker.on('exit', (code) => replace(new Error(`exit code ${code}`)));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || !slot.ready) continue;
      const next = this.queue.shift() ?? this.nextBackground();
      if (!next) return;
      slot.busy = next;
      slot.worker.postMessage({ id: next.id, task: next.task });
      next.hooks?.onStart?.();
    }
  }

  /** The next background task, if one may take a thread now: one thread stays free for other work. */
  private nextBackground(): Pending<T, R> | undefined {
    if (this.backgroundQueue.length === 0) return undefined;
    const free = this.slots.filter((s) => s.ready && !s.busy).length;
    if (this.slots.length > 1 && free < 2) return undefined;
    return this.backgroundQueue.shift();
  }
}
