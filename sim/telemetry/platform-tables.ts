import {
  APIM_GATEWAY_LLM_LOG,
  APIM_GATEWAY_LOGS,
  APP_DEPENDENCIES,
  APP_METRICS,
  AZURE_METRICS,
  type TableSchema,
} from '../../queries/engine/table-schemas.ts';
import { appendAppMetricsMinute, emptyAppMetricColumns } from './generate-app-metrics.ts';
import { appendAzureMetricsMinute, emptyAzureMetricsColumns } from './generate-azure-metrics-export.ts';
import { appendDependencies, emptyDependencyColumns } from './generate-dependencies.ts';
import { appendGatewayMinute, emptyGatewayColumns } from './generate-gateway.ts';
import type { RequestColumns } from './generate-requests.ts';

type Buffers = Record<string, unknown[]>;

/**
 * Tables derived from the request rows, one minute at a time: the application's stage spans and
 * custom metrics, the gateway's two logs, the resource's exported metrics. Each group keeps its
 * own buffers and how many minutes it has derived, so it can start late (when a query first names
 * one of its tables) and catch up from the kept request rows.
 */
export interface DerivedTables {
  tables: readonly { schema: TableSchema; data: Buffers }[];
  /** Minutes already derived. */
  minutes: number;
  /** Derives one minute: its request rows are `requests[from..to)`. */
  append(requests: RequestColumns, from: number, to: number, minuteStart: number, startMs: number): void;
}

/** Fresh groups of every derived table. */
export function derivedTableGroups(): DerivedTables[] {
  const spans = emptyDependencyColumns();
  const metrics = emptyAppMetricColumns();
  const gateway = emptyGatewayColumns();
  const exported = emptyAzureMetricsColumns();
  return [
    {
      tables: [{ schema: APP_DEPENDENCIES, data: spans as unknown as Buffers }],
      minutes: 0,
      append: (requests, from, to) => appendDependencies(spans, requests, from, to),
    },
    {
      tables: [{ schema: APP_METRICS, data: metrics as unknown as Buffers }],
      minutes: 0,
      append: (requests, from, to, minute, startMs) =>
        appendAppMetricsMinute(metrics, requests, from, to, minute, startMs),
    },
    {
      tables: [
        { schema: APIM_GATEWAY_LOGS, data: gateway.logs as unknown as Buffers },
        { schema: APIM_GATEWAY_LLM_LOG, data: gateway.llm as unknown as Buffers },
      ],
      minutes: 0,
      append: (requests, from, to, minute, startMs) =>
        appendGatewayMinute(gateway, requests, from, to, minute, startMs),
    },
    {
      tables: [{ schema: AZURE_METRICS, data: exported as unknown as Buffers }],
      minutes: 0,
      append: (requests, from, to, minute) => appendAzureMetricsMinute(exported, requests, from, to, minute),
    },
  ];
}

/** Whether a query's text names one of the group's tables (as a whole word). */
export function namesAnyTable(text: string, group: DerivedTables): boolean {
  return group.tables.some(({ schema }) => new RegExp(`\\b${schema.name}\\b`).test(text));
}
