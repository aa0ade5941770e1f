import type { Clock } from '../../core/clock.ts';
import { createLocalLogsBackend } from '../../queries/backends/local-logs.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import { SimulatedTelemetry, type SimulatedTelemetryOptions } from './telemetry.ts';

/**
 * The local mode's Log Analytics: the vetted catalog run by the local KQL engine over simulated
 * telemetry. Nothing is generated until the first query (~212,000 sampled rows for 7 days: about 1.8 s, ~260 MB);
 * later queries add the minutes the clock has completed since. The derived tables (spans, custom
 * metrics, gateway logs, exported metrics) are built when a query first names one of them.
 */
export function createSimulatedLogsBackend(
  clock: Clock,
  options: Omit<SimulatedTelemetryOptions, 'clock'> = {},
): LogsBackend & { telemetry: SimulatedTelemetry } {
  const telemetry = new SimulatedTelemetry({ clock, onDemand: true, ...options });
  const backend = createLocalLogsBackend({
    engine: telemetry.engine,
    catalog: KQL_CATALOG,
    beforeQuery: (text) => telemetry.refresh(text),
  });
  return Object.assign(backend, { telemetry });
}
