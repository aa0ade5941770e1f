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
import { type DerivedTables, derivedTableGroups, namesAnyTable } from './platform-tables.ts';
import { DAY, MINUTE } from './profile.ts';

/** Default reach of the derived tables. */
const DERIVED_HISTORY_MS = 2 * DAY;

export interface SimulatedTelemetryOptions {
  clock: Clock;
  /** Scenario start: the episodes of the alert story are placed relative to it (default: now). */
  startMs?: number;
  /** History before the start (default 7 days). */
  historyMs?: number;
  /** Default: ~1,000 requests/min, kept as ~21 sampled rows/min (ItemCount 10–100 per app role). */
  sampling?: SamplingOptions;
  /**
   * Build the derived tables (spans, custom metrics, gateway logs, exported metrics) only once a
   * query names one of them (`refresh(text)`), instead of at the first refresh. The local bot's
   * workers do: a week of them more than doubles the build, and most queries read AppRequests.
   */
  onDemand?: boolean;
  /**
   * How far back the derived tables reach (default 2 days, capped by the history): as if their
   * diagnostic settings and the pipeline's tracing were turned on then. Memory, not realism: a
   * week of them would more than double the simulator's size.
   */
  derivedHistoryMs?: number;
}

/**
 * Application Insights telemetry of the simulated AI platform, in a local KQL engine: 7 days of
 * sampled AppRequests and AppTraces (pipeline runs, model rollouts), the Azure OpenAI resource's
 * AzureDiagnostics, and the tables derived from the same requests (platform-tables.ts: stage spans
 * in AppDependencies, custom metrics in AppMetrics, the API Management gateway's logs, the
 * exported AzureMetrics), plus live rows for every minute the clock completes.
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
  private readonly derived: DerivedTables[] = derivedTableGroups();
  /** Derived groups being kept up to date (all of them unless on demand). */
  private readonly active = new Set<DerivedTables>();
  /** Start instant and first request row of every generated minute, for the derived tables. */
  private readonly minuteStarts: number[] = [];
  private readonly minuteRows: number[] = [];
  /** Index of the first generated minute the derived tables cover. */
  private readonly firstDerivedMinute: number;
  /** Minutes before this instant are in the buffers. */
  private generatedUntil: number;
  private builtUntil = -1;
  /** Rows of each buffer already in the engine's tables. */
  private readonly builtRows = new Map<string, number>();

  constructor(private readonly options: SimulatedTelemetryOptions) {
    const now = options.clock.now();
    this.startMs = options.startMs ?? now;
    this.sampling = options.sampling ?? DEFAULT_SAMPLING;
    this.engine = new KqlEngine({ now: () => options.clock.now() });
    this.generatedUntil = Math.floor((now - (options.historyMs ?? 7 * DAY)) / MINUTE) * MINUTE;
    if (!options.onDemand) for (const g of this.derived) this.active.add(g);
    const derivedFrom = now - (options.derivedHistoryMs ?? DERIVED_HISTORY_MS);
    this.firstDerivedMinute = Math.max(0, Math.ceil((derivedFrom - this.generatedUntil) / MINUTE));
  }

  /**
   * Brings the tables up to the clock's last complete minute; cheap when nothing changed. With
   * `onDemand`, the derived tables `queryText` names are built (and kept up to date from then on).
   */
  refresh(queryText?: string): void {
    const until = Math.floor(this.options.clock.now() / MINUTE) * MINUTE;
    for (let m = this.generatedUntil; m < until; m += MINUTE) {
      const first = this.requests.TimeGenerated.length;
      this.minuteStarts.push(m);
      this.minuteRows.push(first);
      generateMinute(this.requests, m, this.startMs, this.sampling);
      appendDiagnostics(this.diagnostics, this.requests, first);
      generateTraceMinute(this.traces, m, this.startMs);
    }
    this.generatedUntil = Math.max(this.generatedUntil, until);
    if (queryText !== undefined)
      for (const g of this.derived)
        if (!this.active.has(g) && namesAnyTable(queryText, g)) this.active.add(g);
    for (const g of this.active) this.derive(g);
    if (this.builtUntil === this.generatedUntil) return;
    this.build(APP_REQUESTS, this.requests as unknown as Record<string, unknown[]>);
    this.build(APP_TRACES, this.traces as unknown as Record<string, unknown[]>);
    this.build(AZURE_DIAGNOSTICS, this.diagnostics as unknown as Record<string, unknown[]>);
    this.builtUntil = this.generatedUntil;
  }

  /** Derives the group's minutes not yet derived and puts their rows into its tables. */
  private derive(group: DerivedTables): void {
    const rows = this.requests.TimeGenerated.length;
    const minutes = this.minuteStarts.length;
    if (group.minutes === minutes) return;
    for (let k = Math.max(group.minutes, this.firstDerivedMinute); k < minutes; k++)
      group.append(
        this.requests,
        this.minuteRows[k]!,
        this.minuteRows[k + 1] ?? rows,
        this.minuteStarts[k]!,
        this.startMs,
      );
    group.minutes = minutes;
    for (const { schema, data } of group.tables) this.build(schema, data);
  }

  /**
   * Puts a buffer's new rows into its table. Only the rows since the last build are built and
   * appended: rebuilding a week of rows every minute took seconds of a worker, and the evidence of
   * every incident opened meanwhile waited behind it.
   */
  private build(schema: TableSchema, data: Record<string, unknown[]>): void {
    const from = this.builtRows.get(schema.name) ?? 0;
    const rows = data.TimeGenerated!.length;
    if (from === rows) return;
    if (from === 0 || !appendColumns(this.engine, schema, data, from)) loadColumns(this.engine, schema, data);
    this.builtRows.set(schema.name, rows);
  }

  /** Rows of AppRequests currently in the buffers. */
  requestCount(): number {
    return this.requests.TimeGenerated.length;
  }
}

/** Typed columns of the buffers' rows from `from` on (columns the buffers lack are null). */
function columnsFrom(schema: TableSchema, data: Record<string, unknown[]>, from: number) {
  const n = data.TimeGenerated!.length - from;
  const blank: unknown[] = new Array(n).fill(null);
  return schema.columns.map((c) => {
    const values = data[c.name];
    return {
      name: c.name,
      col: buildColumn(c.type, values ? (from === 0 ? values : values.slice(from)) : blank),
    };
  });
}

/** Loads column buffers into the engine as one table of the given schema (replacing it). */
export function loadColumns(engine: KqlEngine, schema: TableSchema, data: Record<string, unknown[]>): void {
  engine.addTable(schema.name, columnsFrom(schema, data, 0));
}

/** Appends the buffers' rows from `from` on to the table; false when it must be loaded whole. */
function appendColumns(
  engine: KqlEngine,
  schema: TableSchema,
  data: Record<string, unknown[]>,
  from: number,
) {
  return engine.appendColumns(schema.name, columnsFrom(schema, data, from));
}
