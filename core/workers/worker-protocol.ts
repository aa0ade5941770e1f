import { parentPort } from 'node:worker_threads';
import { AppError, UserFacingError } from '../errors.ts';

/** A task sent to a worker. */
export interface WorkerTask<T> {
  id: number;
  task: T;
}

/** An error crossing the thread boundary: enough to rebuild it as the error class the caller expects. */
export interface WorkerFailure {
  name: string;
  code: string | undefined;
  message: string;
}

/**
 * What a worker says once, when it has loaded and set itself up (a simulated workspace builds its
 * tables first): the pool hands it tasks only after that, so set-up time is waiting in line, not
 * part of a task's run (whose budget starts when it reaches a thread).
 */
export const WORKER_READY = { ready: true } as const;

/** A worker's answer to one task. */
export type WorkerReply<R> =
  | { id: number; ok: true; value: R }
  | { id: number; ok: false; error: WorkerFailure };

/** Rebuilds a worker's error: a user-facing one keeps its class, so its text still reaches chat. */
export function reviveError(failure: WorkerFailure): Error {
  const code = failure.code ?? 'WORKER_TASK_FAILED';
  if (failure.name === 'UserFacingError') return new UserFacingError(code, failure.message);
  const err = new AppError(code, failure.message);
  err.name = failure.name;
  return err;
}

/**
 * The worker side: says it is ready, then answers each task of the parent with `handle`'s value
 * or error, one at a time (the pool sends a worker one task at a time anyway). Call it once the
 * worker's set-up is done.
 */
export function serveTasks<T, R>(handle: (task: T) => R | Promise<R>): void {
  const port = parentPort;
  if (!port) throw new AppError('NOT_A_WORKER', 'serveTasks runs inside a worker thread');
  port.on('message', async ({ id, task }: WorkerTask<T>) => {
    let reply: WorkerReply<R>;
    try {
      reply = { id, ok: true, value: await handle(task) };
    } catch (err) {
      const e = err as { name?: unknown; code?: unknown; message?: unknown };
      reply = {
        id,
        ok: false,
        error: {
          name: typeof e?.name === 'string' ? e.name : 'Error',
          code: typeof e?.code === 'string' ? e.code : undefined,
          message: typeof e?.message === 'string' ? e.message : String(err),
        },
      };
    }
    port.postMessage(reply);
  });
  port.postMessage(WORKER_READY);
}
