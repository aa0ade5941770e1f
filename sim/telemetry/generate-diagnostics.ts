import type { RequestColumns } from './generate-requests.ts';

/** The simulated Azure OpenAI resource, as its logs name it (Azure writes `Resource` upper-case). */
export const SIMULATED_AOAI_RESOURCE = {
  subscriptionId: '00000000-0000-4000-8000-00000000a0a1',
  resourceGroup: 'AI-PLATFORM',
  name: 'OAI-SIM-EASTUS2',
  location: 'eastus2',
} as const;

const RESOURCE_ID =
  `/SUBSCRIPTIONS/${SIMULATED_AOAI_RESOURCE.subscriptionId.toUpperCase()}/RESOURCEGROUPS/` +
  `${SIMULATED_AOAI_RESOURCE.resourceGroup}/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/${SIMULATED_AOAI_RESOURCE.name}`;

/** Column-wise rows of AzureDiagnostics (only the columns the simulator fills). */
export interface DiagnosticsColumns {
  TimeGenerated: number[];
  ResourceId: string[];
  Category: string[];
  ResourceGroup: string[];
  SubscriptionId: string[];
  ResourceProvider: string[];
  Resource: string[];
  ResourceType: string[];
  OperationName: string[];
  ResultType: string[];
  CorrelationId: string[];
  ResultSignature: string[];
  DurationMs: number[];
  CallerIPAddress: string[];
  location_s: string[];
  properties_s: string[];
  Type: string[];
}

/** Empty column buffers. */
export function emptyDiagnosticsColumns(): DiagnosticsColumns {
  return {
    TimeGenerated: [],
    ResourceId: [],
    Category: [],
    ResourceGroup: [],
    SubscriptionId: [],
    ResourceProvider: [],
    Resource: [],
    ResourceType: [],
    OperationName: [],
    ResultType: [],
    CorrelationId: [],
    ResultSignature: [],
    DurationMs: [],
    CallerIPAddress: [],
    location_s: [],
    properties_s: [],
    Type: [],
  };
}

/** The resource's own operation for a deployment's calls. */
const operationOf = (deployment: string) =>
  deployment.startsWith('text-embedding') ? 'Embeddings_Create' : 'ChatCompletions_Create';

/**
 * Appends the RequestResponse logs the Azure OpenAI resource writes for the requests in
 * `requests[from..]` that called a deployment: one row per kept request row, so shares (the 429
 * rate, the error mix) agree with the application's telemetry. The application samples its rows
 * and the resource does not, so counts here are per kept row, not `sum(ItemCount)`: the simulator
 * thins the resource's logs as the application's are thinned, to keep a week of them in memory.
 * Caller IPs end in `***`, as Azure masks them.
 */
export function appendDiagnostics(out: DiagnosticsColumns, requests: RequestColumns, from: number): void {
  for (let i = from; i < requests.TimeGenerated.length; i++) {
    const props = requests.Properties[i]!;
    const deployment = typeof props.deployment === 'string' ? props.deployment : '';
    if (!deployment) continue;
    const code = requests.ResultCode[i]!;
    out.TimeGenerated.push(requests.TimeGenerated[i]!);
    out.ResourceId.push(RESOURCE_ID);
    out.Category.push('RequestResponse');
    out.ResourceGroup.push(SIMULATED_AOAI_RESOURCE.resourceGroup);
    out.SubscriptionId.push(SIMULATED_AOAI_RESOURCE.subscriptionId);
    out.ResourceProvider.push('MICROSOFT.COGNITIVESERVICES');
    out.Resource.push(SIMULATED_AOAI_RESOURCE.name);
    out.ResourceType.push('ACCOUNTS');
    out.OperationName.push(operationOf(deployment));
    out.ResultType.push(code.startsWith('2') ? 'Succeeded' : 'Failed');
    out.CorrelationId.push(requests.OperationId[i]!);
    out.ResultSignature.push(code);
    out.DurationMs.push(Math.round(requests.DurationMs[i]!));
    out.CallerIPAddress.push(requests.ClientIP[i]!.replace(/\.\d+$/, '.***'));
    out.location_s.push(SIMULATED_AOAI_RESOURCE.location);
    out.properties_s.push(
      JSON.stringify({
        apiName: 'Azure OpenAI API version 2024-10-21',
        modelDeploymentName: deployment,
        modelName: deployment,
        modelVersion: props['model.version'],
        streamType: 'Non-Streaming',
        requestLength: 0,
        responseLength: 0,
      }),
    );
    out.Type.push('AzureDiagnostics');
  }
}
