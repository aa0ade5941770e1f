import type { Agent } from 'node:https';
import { gzipSync } from 'node:zlib';
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { LogsQueryClient, LogsQueryResultStatus, type LogsTable } from '@azure/monitor-query-logs';
import { UserFacingError } from '../../core/errors.ts';
import type { KqlCatalog } from '../catalog.ts';
import { formatDatetime } from '../engine/literals.ts';
import { type KqlType, TYPE_ALIASES } from '../engine/types.ts';
import { cancelledRun, type LogsBackend, type LogsResult, prepareRun } from './logs-backend.ts';

export interface AzureLogsOptions {
  workspaceId: string;
  catalog: KqlCatalog;
  /** Query API base, e.g. `https://api.loganalytics.io/v1` (default); `/v1` is added when missing. */
  endpoint?: string;
  /** Default: `DefaultAzureCredential` (managed identity, workload identity, Azure CLI …). */
  credential?: TokenCredential;
  /** Seconds the service may spend on a query (the `Prefer: wait=` header); default 60. */
  serverTimeoutSeconds?: number;
  /** The workspace's ARM resource id, to link results to the Logs blade of the portal. */
  workspaceResourceId?: string;
  /** HTTPS agent (tests trust a self-signed certificate with it). */
  agent?: Agent;
}

/**
 * Query window sent with every request. Vetted queries bound their own time range (`ago(window)`,
 * at most 7 days plus a baseline); this only stops an unbounded scan.
 */
const QUERY_TIMESPAN = { duration: 'P31D' };

function baseUrl(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  const trimmed = endpoint.replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

/** A link that opens the exact query text in the workspace's Logs blade. */
export function portalQueryUrl(workspaceResourceId: string, text: string): string {
  const q = encodeURIComponent(gzipSync(Buffer.from(text, 'utf8')).toString('base64'));
  const rid = encodeURIComponent(workspaceResourceId);
  return `https://portal.azure.com/#blade/Microsoft_OperationsManagementSuite_Workspace/Logs.ReactView/resourceId/${rid}/source/LogsBlade.AnalyticsShareLinkToQuery/q/${q}`;
}

/** Converts the SDK's table back to the REST shape the local engine also returns. */
function toRestTable(table: LogsTable | undefined): Pick<LogsResult, 'columns' | 'rows'> {
  if (!table) return { columns: [], rows: [] };
  const columns = table.columnDescriptors.map((c) => ({
    name: c.name ?? '',
    type: (TYPE_ALIASES[c.type ?? 'string'] ?? 'string') as KqlType,
  }));
  const rows = table.rows.map((row) =>
    row.map((v) => {
      if (v instanceof Date) return formatDatetime(v.getTime());
      if (v !== null && typeof v === 'object') return JSON.stringify(v);
      return v;
    }),
  );
  return { columns, rows };
}

/** The call's abort signal: its time limit, the caller's own signal, or both. */
function abortSignalOf(timeoutMs: number | undefined, signal: AbortSignal | undefined) {
  const signals = [...(timeoutMs ? [AbortSignal.timeout(timeoutMs)] : []), ...(signal ? [signal] : [])];
  return signals.length === 0
    ? {}
    : { abortSignal: signals.length === 1 ? signals[0]! : AbortSignal.any(signals) };
}

/**
 * Log Analytics through `@azure/monitor-query-logs`: vetted queries only, bound by the one binding
 * function, with a server-side timeout. A partial result (`PartialError`) is returned with
 * `partial: true` and the service's reason, never passed off as complete.
 */
export function createAzureLogsBackend(options: AzureLogsOptions): LogsBackend {
  const client = new LogsQueryClient(options.credential ?? new DefaultAzureCredential(), {
    endpoint: baseUrl(options.endpoint),
    ...(options.agent ? { agent: options.agent } : {}),
  });
  const serverTimeoutInSeconds = options.serverTimeoutSeconds ?? 60;
  return {
    kind: 'azure',
    catalog: options.catalog,
    async run(id, raw, runOptions) {
      const { query, params, text } = prepareRun(options.catalog, id, raw);
      let result: LogsResult;
      if (runOptions?.signal?.aborted) throw cancelledRun();
      // No line to wait in here: the service's own queueing is part of the query's time.
      runOptions?.onStarted?.();
      try {
        const res = await client.queryWorkspace(options.workspaceId, text, QUERY_TIMESPAN, {
          serverTimeoutInSeconds,
          ...abortSignalOf(runOptions?.timeoutMs, runOptions?.signal),
        });
        result =
          res.status === LogsQueryResultStatus.PartialFailure
            ? {
                ...toRestTable(res.partialTables[0]),
                partial: true,
                partialReason: `${res.partialError.code}: ${res.partialError.message}`,
              }
            : { ...toRestTable(res.tables[0]), partial: false };
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        throw new UserFacingError(
          'LOGS_QUERY_FAILED',
          `Log Analytics query ${query.id} failed${typeof code === 'string' ? ` (${code})` : ''}`,
          { cause: err },
        );
      }
      const portalUrl = options.workspaceResourceId
        ? portalQueryUrl(options.workspaceResourceId, text)
        : undefined;
      return { query, params, text, result, ...(portalUrl ? { portalUrl } : {}) };
    },
  };
}
