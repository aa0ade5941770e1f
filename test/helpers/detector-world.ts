import type { ManualClock } from '../../core/clock.ts';
import { createLocalLogsBackend } from '../../queries/backends/local-logs.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import { DAY } from '../../sim/telemetry/profile.ts';
import { SimulatedTelemetry } from '../../sim/telemetry/telemetry.ts';

/** The story's scenario start in the detector tests (a Tuesday noon, UTC). */
export const STORY_START = Date.parse('2026-12-01T12:00:00Z');

/**
 * A simulated workspace on this thread, read at the manual clock's now. `story` places the
 * scenario (fine-tune rollout, outage, stale index …) at {@link STORY_START}; a stable world
 * places it two months later, so the days it holds have no episode at all: a noisy but unchanged
 * platform.
 */
export function simulatedWorkspace(clock: ManualClock, story: boolean, historyMs = 7 * DAY): LogsBackend {
  const telemetry = new SimulatedTelemetry({
    clock,
    startMs: story ? STORY_START : clock.now() + 60 * DAY,
    historyMs,
    // The detectors read AppRequests and AppTraces: the derived tables only if a query names them.
    onDemand: true,
  });
  telemetry.refresh(); // build the days now, in the caller's set-up, not in the first test
  return createLocalLogsBackend({
    catalog: KQL_CATALOG,
    engine: telemetry.engine,
    beforeQuery: (text) => telemetry.refresh(text),
  });
}
