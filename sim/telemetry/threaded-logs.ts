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
 * The local mode's Log Analytics with the simulated telemetry and the KQL engine in a worker
 * thread (see telemetry-worker.ts): the same rows as {@link createSimulatedLogsBackend}, generated
 * in the worker from the same scenario start, off the event loop, from start-up on. One thread:
 * queries run in turn.
 */
export function createThreadedSimulatedLogsBackend(
  clock: Clock,
  options: Omit<SimulatedTelemetryOptions, 'clock'> = {},
): LogsBackend & { close(): Promise<void> } {
  const pool = new WorkerPool<TelemetryTask, QueryResult>({
    entry: workerEntry(import.meta.url, 'telemetry-worker'),
    workerData: {
      startMs: options.startMs ?? clock.now(),
      ...(options.historyMs !== undefined ? { historyMs: options.historyMs } : {}),
      ...(options.sampling ? { sampling: options.sampling } : {}),
    } satisfies TelemetryWorkerData,
    size: 1,
    name: 'kql-local',
    // Below the event loop: a crowd's queries must not slow intake (the worker builds its tables at that priority too).
    niceness: BACKGROUND_NICENESS,
  });
  // Build the 7 days of rows from start-up on, so the first evidence run does not wait for them.
  pool.warm();
  const backend = createLocalLogsBackend({
    catalog: KQL_CATALOG,
    runQuery: (text, onStarted) => pool.run({ text, now: clock.now() }, { onStart: onStarted }),
  });
  return Object.assign(backend, { close: () => pool.close() });
}
