import type { KqlType } from './types.ts';

/** A table's name and typed columns. */
export interface TableSchema {
  name: string;
  columns: { name: string; type: KqlType }[];
}

function schema(name: string, spec: string): TableSchema {
  return {
    name,
    columns: spec
      .trim()
      .split(/\s*,\s*/)
      .map((part) => {
        const [col, type] = part.split(':');
        return { name: col!, type: type as KqlType };
      }),
  };
}

const STANDARD =
  'SourceSystem:string, Type:string, TenantId:string, _ResourceId:string, _SubscriptionId:string, _BilledSize:real, _IsBillable:string';
const COMMON =
  'OperationName:string, OperationId:string, ParentId:string, SyntheticSource:string, SessionId:string, UserId:string, ' +
  'UserAuthenticatedId:string, UserAccountId:string, AppVersion:string, AppRoleName:string, AppRoleInstance:string, ' +
  'ClientType:string, ClientModel:string, ClientOS:string, ClientIP:string, ClientCity:string, ' +
  'ClientStateOrProvince:string, ClientCountryOrRegion:string, ClientBrowser:string, ResourceGUID:string, IKey:string, ' +
  'SDKVersion:string, ItemCount:int';

/** AppRequests (workspace-based Application Insights), columns as documented for Log Analytics. */
export const APP_REQUESTS = schema(
  'AppRequests',
  'TimeGenerated:datetime, Id:string, Name:string, Url:string, Success:bool, ResultCode:string, DurationMs:real, ' +
    'PerformanceBucket:string, Source:string, Properties:dynamic, Measurements:dynamic, ' +
    `${COMMON}, ReferencedItemId:string, ReferencedType:string, OperationLinks:dynamic, ${STANDARD}`,
);

/** AppTraces: trace/log messages. */
export const APP_TRACES = schema(
  'AppTraces',
  'TimeGenerated:datetime, Message:string, SeverityLevel:int, Properties:dynamic, Measurements:dynamic, ' +
    `${COMMON}, ReferencedItemId:string, ReferencedType:string, ${STANDARD}`,
);

/** AppDependencies: outgoing calls (HTTP, SQL, model endpoints ...). */
export const APP_DEPENDENCIES = schema(
  'AppDependencies',
  'TimeGenerated:datetime, Id:string, Target:string, DependencyType:string, Name:string, Data:string, Success:bool, ' +
    'ResultCode:string, DurationMs:real, PerformanceBucket:string, Properties:dynamic, Measurements:dynamic, ' +
    `${COMMON}, ReferencedItemId:string, ReferencedType:string, ${STANDARD}`,
);

/**
 * AzureDiagnostics: resource logs in the Azure diagnostics mode, the only table Azure OpenAI's
 * diagnostic settings write to. One schema for every resource type; the columns Azure OpenAI's
 * categories (RequestResponse, Audit, AzureOpenAIRequestUsage, Trace) fill, details as JSON text in
 * `properties_s`.
 */
export const AZURE_DIAGNOSTICS = schema(
  'AzureDiagnostics',
  'TimeGenerated:datetime, ResourceId:string, Category:string, ResourceGroup:string, SubscriptionId:string, ' +
    'ResourceProvider:string, Resource:string, ResourceType:string, OperationName:string, ResultType:string, ' +
    'CorrelationId:string, ResultSignature:string, ResultDescription:string, DurationMs:long, ' +
    'CallerIPAddress:string, Level:string, location_s:string, event_s:string, properties_s:string, ' +
    'SourceSystem:string, Type:string, TenantId:string, _ResourceId:string, _SubscriptionId:string',
);

/** All declared tables. */
export const TABLE_SCHEMAS: readonly TableSchema[] = [
  APP_REQUESTS,
  APP_TRACES,
  APP_DEPENDENCIES,
  AZURE_DIAGNOSTICS,
];

/** Renders a schema as Kusto's `(Col:type, ...)` text (for Microsoft's language service). */
export function toKustoSchemaText(s: TableSchema): string {
  return `(${s.columns.map((c) => `['${c.name}']:${c.type}`).join(', ')})`;
}
