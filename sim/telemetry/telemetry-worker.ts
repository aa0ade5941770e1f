/**
 * Worker thread entry of the local Log Analytics: this thread owns the simulated telemetry (about
 * 260 MB of column buffers for 7 days) and runs every local KQL query on it, so neither generating
 * the tables nor scanning them blocks the bot's event loop, and no table is ever copied: only the
 * query text goes in and the result rows come out.
 */
import { workerData } from 'node:worker_threads';
import { ManualClock } from '../../core/clock.ts';
import { serveTasks } from '../../core/workers/worker-protocol.ts';
import { SimulatedTelemetry } from './telemetry.ts';
import type { TelemetryTask, TelemetryWorkerData } from './threaded-logs.ts';

const data = workerData as TelemetryWorkerData;
// The parent's clock decides "now": each task carries it, so a test's manual clock still rules.
const clock = new ManualClock(data.startMs);
const telemetry = new SimulatedTelemetry({
  clock,
  startMs: data.startMs,
  ...(data.historyMs !== undefined ? { historyMs: data.historyMs } : {}),
  ...(data.sampling ? { sampling: data.sampling } : {}),
  onDemand: true,
});

// The week of tables is built before the worker says it is ready: a query's run budget then
// covers the query, not this build (seconds), which counts as waiting for a free engine.
telemetry.refresh();

serveTasks(({ text, now }: TelemetryTask) => {
  clock.set(now);
  telemetry.refresh(text);
  return telemetry.engine.run(text);
});
