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

/** AppMetrics: custom metrics, pre-aggregated by the SDK (value = Sum / ItemCount per interval). */
export const APP_METRICS = schema(
  'AppMetrics',
  'TimeGenerated:datetime, Name:string, Sum:real, Min:real, Max:real, Properties:dynamic, ' +
    `${COMMON}, ${STANDARD}`,
);

/**
 * ApiManagementGatewayLogs: one row per request through the API Management gateway (resource-specific
 * mode of the GatewayLogs category), with the subscription, backend and the policy that failed it.
 */
export const APIM_GATEWAY_LOGS = schema(
  'ApiManagementGatewayLogs',
  'TimeGenerated:datetime, ApiId:string, ApimSubscriptionId:string, ApiRevision:string, BackendId:string, ' +
    'BackendMethod:string, BackendProtocol:string, BackendRequestBody:string, BackendRequestHeaders:dynamic, ' +
    'BackendResponseBody:string, BackendResponseCode:int, BackendResponseHeaders:dynamic, BackendTime:long, ' +
    'BackendUrl:string, Cache:string, CacheTime:long, CallerIpAddress:string, Category:string, ' +
    'ClientProtocol:string, ClientTime:long, ClientTlsVersion:string, CorrelationId:string, Errors:dynamic, ' +
    'IsMasterTrace:bool, IsRequestSuccess:bool, IsTraceAllowed:bool, IsTraceExpired:bool, IsTraceRequested:bool, ' +
    'LastErrorElapsed:long, LastErrorMessage:string, LastErrorReason:string, LastErrorScope:string, ' +
    'LastErrorSection:string, LastErrorSource:string, Method:string, OperationId:string, OperationName:string, ' +
    'ProductId:string, Region:string, RequestBody:string, RequestHeaders:dynamic, RequestSize:int, ' +
    'ResponseBody:string, ResponseCode:int, ResponseHeaders:dynamic, ResponseSize:int, TotalTime:long, ' +
    'TraceRecords:dynamic, Url:string, UserId:string, ' +
    'SourceSystem:string, Type:string, TenantId:string, _ResourceId:string, _SubscriptionId:string, _BilledSize:real, _IsBillable:string',
);

/**
 * ApiManagementGatewayLlmLog: the AI gateway's record of each language-model call (GatewayLlmLogs):
 * tokens per deployment and model, joined to ApiManagementGatewayLogs by CorrelationId.
 */
export const APIM_GATEWAY_LLM_LOG = schema(
  'ApiManagementGatewayLlmLog',
  'TimeGenerated:datetime, ApiVersion:string, CompletionTokens:int, CorrelationId:string, DeploymentName:string, ' +
    'IsStreamCompletion:bool, ModelName:string, OperationName:string, PromptTokens:int, Region:string, ' +
    'RequestId:string, RequestMessages:dynamic, ResponseMessages:dynamic, SequenceNumber:int, TotalTokens:int, ' +
    'SourceSystem:string, Type:string, TenantId:string, _ResourceId:string, _SubscriptionId:string, _BilledSize:real, _IsBillable:string',
);

/**
 * AzureMetrics: platform metrics exported by a diagnostic setting, one row per metric and time grain,
 * aggregated across the metric's dimensions (no deployment or status code split).
 */
export const AZURE_METRICS = schema(
  'AzureMetrics',
  'TimeGenerated:datetime, ResourceId:string, SubscriptionId:string, ResourceGroup:string, ResourceProvider:string, ' +
    'Resource:string, MetricName:string, Total:real, Count:real, Maximum:real, Minimum:real, Average:real, ' +
    'TimeGrain:string, UnitName:string, Remarks:string, ' +
    'SourceSystem:string, Type:string, TenantId:string, _ResourceId:string, _SubscriptionId:string, _BilledSize:real, _IsBillable:string',
);

/** All declared tables. */
export const TABLE_SCHEMAS: readonly TableSchema[] = [
  APP_REQUESTS,
  APP_TRACES,
  APP_DEPENDENCIES,
  AZURE_DIAGNOSTICS,
  APP_METRICS,
  APIM_GATEWAY_LOGS,
  APIM_GATEWAY_LLM_LOG,
  AZURE_METRICS,
];

/** Renders a schema as Kusto's `(Col:type, ...)` text (for Microsoft's language service). */
export function toKustoSchemaText(s: TableSchema): string {
  return `(${s.columns.map((c) => `['${c.name}']:${c.type}`).join(', ')})`;
}
