import { z } from 'zod';

/**
 * Where a vetted query's rows come from. A workspace has some of these (the policy says which);
 * a query whose source is missing is refused with what to turn on, never answered with no rows.
 */
export const logSource = z.enum([
  /** Application Insights (workspace-based): AppRequests, AppTraces, AppDependencies. */
  'app-insights',
  /** The Azure OpenAI resource's diagnostic setting: AzureDiagnostics (RequestResponse …). */
  'aoai-diagnostics',
  /** The API Management AI gateway's diagnostic setting: ApiManagementGatewayLogs and ApiManagementGatewayLlmLog. */
  'apim-gateway',
  /** The Azure OpenAI resource's platform metrics exported by a diagnostic setting: AzureMetrics. */
  'azure-metrics-export',
]);
export type LogSource = z.infer<typeof logSource>;

/** What to turn on for each source, for the refusal of a query that needs it. */
export const LOG_SOURCE_SETUP: Readonly<Record<LogSource, string>> = {
  'app-insights': 'workspace-based Application Insights for the application',
  'aoai-diagnostics':
    'a diagnostic setting on the Azure OpenAI resource sending RequestResponse logs to this workspace',
  'apim-gateway':
    'a diagnostic setting on the API Management gateway sending GatewayLogs and GatewayLlmLogs (resource-specific tables) to this workspace',
  'azure-metrics-export':
    'a diagnostic setting on the Azure OpenAI resource sending AllMetrics to this workspace',
};
