import type { Clock } from '../../core/clock.ts';
import { buildColumn } from '../../queries/engine/build-column.ts';
import { KqlEngine } from '../../queries/engine/engine.ts';
import {
  APP_REQUESTS,
  APP_TRACES,
  AZURE_DIAGNOSTICS,
  type TableSchema,
} from '../../queries/engine/table-schemas.ts';
import {
  appendDiagnostics,
  type DiagnosticsColumns,
  emptyDiagnosticsColumns,
} from './generate-diagnostics.ts';
import {
  DEFAULT_SAMPLING,
  emptyRequestColumns,
  generateMinute,
  type RequestColumns,
  type SamplingOptions,
} from './generate-requests.ts';
import { emptyTraceColumns, generateTraceMinute, type TraceColumns } from './generate-traces.ts';
import { DAY, MINUTE } from './profile.ts';

export interface SimulatedTelemetryOptions {
  clock: Clock;
  /** Scenario start: the episodes of the alert story are placed relative to it (default: now). */
  startMs?: number;
  /** History before the start (default 7 days). */
  historyMs?: number;
  /** Default: ~1,000 requests/min, kept as ~21 sampled rows/min (ItemCount 10–100 per app role). */
  sampling?: SamplingOptions;
}

/**
 * Application Insights telemetry of the simulated AI platform, in a local KQL engine: 7 days of
 * sampled AppRequests and pipeline AppTraces, the Azure OpenAI resource's AzureDiagnostics, plus live rows for every minute the clock completes.
 * The engine's tables are immutable, so new minutes are appended to the column buffers and the
 * tables rebuilt, at most once per minute of simulated time, when a query asks.
 */
export class SimulatedTelemetry {
  readonly engine: KqlEngine;
  readonly startMs: number;
  private readonly requests: RequestColumns = emptyRequestColumns();
  private readonly traces: TraceColumns = emptyTraceColumns();
  private readonly diagnostics: DiagnosticsColumns = emptyDiagnosticsColumns();
  private readonly sampling: SamplingOptions;
  /** Minutes before this instant are in the buffers. */
  private generatedUntil: number;
  private builtUntil = -1;

  constructor(private readonly options: SimulatedTelemetryOptions) {
    const now = options.clock.now();
    this.startMs = options.startMs ?? now;
    this.sampling = options.sampling ?? DEFAULT_SAMPLING;
    this.engine = new KqlEngine({ now: () => options.clock.now() });
    this.generatedUntil = Math.floor((now - (options.historyMs ?? 7 * DAY)) / MINUTE) * MINUTE;
  }

  /** Brings the tables up to the clock's last complete minute; cheap when nothing changed. */
  refresh(): void {
    const until = Math.floor(this.options.clock.now() / MINUTE) * MINUTE;
    for (let m = this.generatedUntil; m < until; m += MINUTE) {
      const first = this.requests.TimeGenerated.length;
      generateMinute(this.requests, m, this.startMs, this.sampling);
      appendDiagnostics(this.diagnostics, this.requests, first);
      generateTraceMinute(this.traces, m, this.startMs);
    }
    this.generatedUntil = Math.max(this.generatedUntil, until);
    if (this.builtUntil === this.generatedUntil) return;
    loadColumns(this.engine, APP_REQUESTS, this.requests as unknown as Record<string, unknown[]>);
    loadColumns(this.engine, APP_TRACES, this.traces as unknown as Record<string, unknown[]>);
    loadColumns(this.engine, AZURE_DIAGNOSTICS, this.diagnostics as unknown as Record<string, unknown[]>);
    this.builtUntil = this.generatedUntil;
  }

  /** Rows of AppRequests currently in the buffers. */
  requestCount(): number {
    return this.requests.TimeGenerated.length;
  }
}

/** Loads column buffers into the engine as one table of the given schema (replacing it). */
export function loadColumns(engine: KqlEngine, schema: TableSchema, data: Record<string, unknown[]>): void {
  const n = data.TimeGenerated!.length;
  const blank: unknown[] = new Array(n).fill(null);
  engine.addTable(
    schema.name,
    schema.columns.map((c) => ({ name: c.name, col: buildColumn(c.type, data[c.name] ?? blank) })),
  );
}
