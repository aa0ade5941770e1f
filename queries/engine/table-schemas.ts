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

/** All declared tables. */
export const TABLE_SCHEMAS: readonly TableSchema[] = [APP_REQUESTS, APP_TRACES, APP_DEPENDENCIES];

/** Renders a schema as Kusto's `(Col:type, ...)` text (for Microsoft's language service). */
export function toKustoSchemaText(s: TableSchema): string {
  return `(${s.columns.map((c) => `['${c.name}']:${c.type}`).join(', ')})`;
}
