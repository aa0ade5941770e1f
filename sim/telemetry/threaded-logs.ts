import { availableParallelism } from 'node:os';
import type { Clock } from '../../core/clock.ts';
import { workerEntry } from '../../core/workers/spawn-worker.ts';
import { BACKGROUND_NICENESS } from '../../core/workers/thread-priority.ts';
import { WorkerPool } from '../../core/workers/worker-pool.ts';
import { createLocalLogsBackend } from '../../queries/backends/local-logs.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import type { QueryResult } from '../../queries/engine/types.ts';
import type { SimulatedTelemetryOptions } from './telemetry.ts';

/** What the telemetry worker builds its tables from: the same inputs give the same rows. */
export interface TelemetryWorkerData {
  [key: string]: unknown;
  startMs: number;
  historyMs?: number;
  sampling?: SimulatedTelemetryOptions['sampling'];
}

/** One query for the telemetry worker: bound text, and the parent clock's now. */
export interface TelemetryTask {
  text: string;
  now: number;
}

/**
 * Threads of the local KQL engine at most: each one holds its own copy of the 7 days of telemetry
 * (about 260 MB), so more cores than this are not worth the memory in a demo.
 */
export const MAX_LOCAL_KQL_THREADS = 4;

/**
 * The local mode's Log Analytics with the simulated telemetry and the KQL engine in worker
 * threads (see telemetry-worker.ts): the same rows as {@link createSimulatedLogsBackend}, generated
 * in each worker from the same scenario start, off the event loop, from start-up on. One thread
 * per core (up to {@link MAX_LOCAL_KQL_THREADS}): evidence queries of concurrent incidents run side
 * by side instead of queueing behind each other.
 */
export function createThreadedSimulatedLogsBackend(
  clock: Clock,
  options: Omit<SimulatedTelemetryOptions, 'clock'> & { threads?: number } = {},
): LogsBackend & {
  readonly threads: number;
  readonly startMs: number;
  /** Resolves once every thread has built its tables. */
  ready(): Promise<void>;
  close(): Promise<void>;
} {
  const threads = options.threads ?? Math.min(availableParallelism(), MAX_LOCAL_KQL_THREADS);
  const startMs = options.startMs ?? clock.now();
  const pool = new WorkerPool<TelemetryTask, QueryResult>({
    entry: workerEntry(import.meta.url, 'telemetry-worker'),
    workerData: {
      startMs,
      ...(options.historyMs !== undefined ? { historyMs: options.historyMs } : {}),
      ...(options.sampling ? { sampling: options.sampling } : {}),
    } satisfies TelemetryWorkerData,
    size: threads,
    name: 'kql-local',
    // Below the event loop: a crowd's queries must not slow intake (the worker builds its tables at that priority too).
    niceness: BACKGROUND_NICENESS,
  });
  // Build the 7 days of rows from start-up on, so the first evidence run does not wait for them.
  pool.warm();
  const backend = createLocalLogsBackend({
    catalog: KQL_CATALOG,
    runQuery: (text, onStarted, signal, background) =>
      pool.run(
        { text, now: clock.now() },
        { onStart: onStarted, ...(signal ? { signal } : {}), ...(background ? { background } : {}) },
      ),
  });
  return Object.assign(backend, { threads, startMs, ready: () => pool.ready(), close: () => pool.close() });
}
