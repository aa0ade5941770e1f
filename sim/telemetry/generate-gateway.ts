import type { RequestColumns } from './generate-requests.ts';
import { MINUTE, THROTTLE_EPISODE } from './profile.ts';
import { seeded } from './seeded.ts';

/** The simulated API Management AI gateway in front of the Azure OpenAI resource. */
export const SIMULATED_GATEWAY = {
  name: 'apim-sim-eastus2',
  region: 'East US 2',
  /** The one backend of the pool: the simulated Azure OpenAI resource. */
  backendId: 'oai-sim-eastus2',
  apiId: 'azure-openai',
  productId: 'ai-platform',
} as const;

/**
 * Consumers the application's telemetry does not see: a data-science notebook subscription that
 * bursts on gpt-4o during the 429 storm and is stopped by its token-limit policy (429s that never
 * reach the resource), and an evaluation harness whose monthly token quota ran out six hours before
 * the scenario, so the quota policy answers its gpt-4.1 calls with 403.
 */
export const GATEWAY_EPISODES = {
  tokenLimit: {
    subscription: 'sandbox-notebooks',
    deployment: THROTTLE_EPISODE.deployment,
    from: THROTTLE_EPISODE.from,
    until: THROTTLE_EPISODE.until,
    perMinute: 12,
  },
  quota: { subscription: 'eval-harness', deployment: 'gpt-4.1', from: -6 * 60 * MINUTE, perMinute: 3 },
} as const;

/** The APIM subscription each app role calls through (one per consuming application). */
export const subscriptionOf = (role: string) => `${role}-prod`;

/** Column-wise ApiManagementGatewayLogs rows (only the columns the simulator fills). */
export interface GatewayLogColumns {
  TimeGenerated: number[];
  ApiId: string[];
  ApimSubscriptionId: string[];
  BackendId: string[];
  BackendMethod: string[];
  BackendResponseCode: (number | null)[];
  BackendTime: number[];
  BackendUrl: string[];
  Cache: string[];
  Category: string[];
  CorrelationId: string[];
  IsRequestSuccess: boolean[];
  LastErrorMessage: string[];
  LastErrorReason: string[];
  LastErrorScope: string[];
  LastErrorSection: string[];
  LastErrorSource: string[];
  Method: string[];
  OperationId: string[];
  OperationName: string[];
  ProductId: string[];
  Region: string[];
  ResponseCode: number[];
  TotalTime: number[];
  Url: string[];
  Type: string[];
}

/** Column-wise ApiManagementGatewayLlmLog rows (only the columns the simulator fills). */
export interface LlmLogColumns {
  TimeGenerated: number[];
  ApiVersion: string[];
  CompletionTokens: number[];
  CorrelationId: string[];
  DeploymentName: string[];
  IsStreamCompletion: boolean[];
  ModelName: string[];
  OperationName: string[];
  PromptTokens: number[];
  Region: string[];
  SequenceNumber: number[];
  TotalTokens: number[];
  Type: string[];
}

function empty<T>(keys: readonly (keyof T)[]): T {
  return Object.fromEntries(keys.map((k) => [k, []])) as T;
}

/** Empty buffers of both gateway tables. */
export function emptyGatewayColumns(): { logs: GatewayLogColumns; llm: LlmLogColumns } {
  return {
    logs: empty<GatewayLogColumns>([
      'TimeGenerated',
      'ApiId',
      'ApimSubscriptionId',
      'BackendId',
      'BackendMethod',
      'BackendResponseCode',
      'BackendTime',
      'BackendUrl',
      'Cache',
      'Category',
      'CorrelationId',
      'IsRequestSuccess',
      'LastErrorMessage',
      'LastErrorReason',
      'LastErrorScope',
      'LastErrorSection',
      'LastErrorSource',
      'Method',
      'OperationId',
      'OperationName',
      'ProductId',
      'Region',
      'ResponseCode',
      'TotalTime',
      'Url',
      'Type',
    ]),
    llm: empty<LlmLogColumns>([
      'TimeGenerated',
      'ApiVersion',
      'CompletionTokens',
      'CorrelationId',
      'DeploymentName',
      'IsStreamCompletion',
      'ModelName',
      'OperationName',
      'PromptTokens',
      'Region',
      'SequenceNumber',
      'TotalTokens',
      'Type',
    ]),
  };
}

const isEmbedding = (deployment: string) => deployment.startsWith('text-embedding');
const operationOf = (deployment: string) =>
  isEmbedding(deployment) ? 'Embeddings_Create' : 'ChatCompletions_Create';
const pathOf = (deployment: string) =>
  `/openai/deployments/${deployment}/${isEmbedding(deployment) ? 'embeddings' : 'chat/completions'}`;

/** A policy's rejection, as the gateway records it in the LastError* columns. */
interface Rejection {
  code: number;
  source: string;
  reason: string;
  message: string;
}

function pushGatewayRow(
  out: GatewayLogColumns,
  row: {
    t: number;
    subscription: string;
    deployment: string;
    correlationId: string;
    code: number;
    backendMs: number;
    rejection?: Rejection;
  },
): void {
  const forwarded = row.rejection === undefined;
  out.TimeGenerated.push(row.t);
  out.ApiId.push(SIMULATED_GATEWAY.apiId);
  out.ApimSubscriptionId.push(row.subscription);
  out.BackendId.push(forwarded ? SIMULATED_GATEWAY.backendId : '');
  out.BackendMethod.push(forwarded ? 'POST' : '');
  out.BackendResponseCode.push(forwarded ? row.code : null);
  out.BackendTime.push(forwarded ? row.backendMs : 0);
  out.BackendUrl.push(
    forwarded ? `https://${SIMULATED_GATEWAY.backendId}.openai.azure.com${pathOf(row.deployment)}` : '',
  );
  out.Cache.push('none');
  out.Category.push('GatewayLogs');
  out.CorrelationId.push(row.correlationId);
  out.IsRequestSuccess.push(row.code < 400);
  out.LastErrorMessage.push(row.rejection?.message ?? '');
  out.LastErrorReason.push(row.rejection?.reason ?? '');
  out.LastErrorScope.push(forwarded ? '' : 'api');
  out.LastErrorSection.push(forwarded ? '' : 'inbound');
  out.LastErrorSource.push(row.rejection?.source ?? '');
  out.Method.push('POST');
  out.OperationId.push(operationOf(row.deployment));
  out.OperationName.push(operationOf(row.deployment));
  out.ProductId.push(SIMULATED_GATEWAY.productId);
  out.Region.push(SIMULATED_GATEWAY.region);
  out.ResponseCode.push(row.code);
  out.TotalTime.push(row.backendMs + 3);
  out.Url.push(`https://${SIMULATED_GATEWAY.name}.azure-api.net${pathOf(row.deployment)}`);
  out.Type.push('ApiManagementGatewayLogs');
}

/**
 * Appends the gateway's records of the application's model calls in `requests[from..to)` (one row
 * per kept request row, as for the resource's logs: rates agree with the application's, counts are
 * per kept row) and, for the LLM log, one row per successful call carrying the tokens of the
 * requests the row stands for (× ItemCount), so token totals per subscription are the application's.
 * Then the minute's calls of the consumers the application does not see (GATEWAY_EPISODES).
 */
export function appendGatewayMinute(
  out: { logs: GatewayLogColumns; llm: LlmLogColumns },
  requests: RequestColumns,
  from: number,
  to: number,
  minuteStart: number,
  startMs: number,
): void {
  for (let i = from; i < to; i++) {
    const props = requests.Properties[i]!;
    const deployment = typeof props.deployment === 'string' ? props.deployment : '';
    if (!deployment) continue;
    const code = Number(requests.ResultCode[i]);
    const t = requests.TimeGenerated[i]!;
    const correlationId = `apim-${requests.Id[i]}`;
    const subscription = subscriptionOf(requests.AppRoleName[i]!);
    pushGatewayRow(out.logs, {
      t,
      subscription,
      deployment,
      correlationId,
      code,
      backendMs: Math.round(requests.DurationMs[i]!),
    });
    const total = Number(props['tokens.total'] ?? 0);
    if (code !== 200 || total === 0) continue;
    const k = requests.ItemCount[i]!;
    const prompt = Number(props['tokens.prompt'] ?? 0);
    out.llm.TimeGenerated.push(t);
    out.llm.ApiVersion.push('2024-10-21');
    out.llm.CompletionTokens.push((total - prompt) * k);
    out.llm.CorrelationId.push(correlationId);
    out.llm.DeploymentName.push(deployment);
    out.llm.IsStreamCompletion.push(false);
    out.llm.ModelName.push(deployment);
    out.llm.OperationName.push(operationOf(deployment));
    out.llm.PromptTokens.push(prompt * k);
    out.llm.Region.push(SIMULATED_GATEWAY.region);
    out.llm.SequenceNumber.push(0);
    out.llm.TotalTokens.push(total * k);
    out.llm.Type.push('ApiManagementGatewayLlmLog');
  }
  appendUnseenConsumers(out.logs, minuteStart, startMs);
}

function appendUnseenConsumers(out: GatewayLogColumns, minuteStart: number, startMs: number): void {
  const rel = minuteStart - startMs;
  const rand = seeded(Math.floor(minuteStart / MINUTE) ^ 0xa9e7);
  const burst = GATEWAY_EPISODES.tokenLimit;
  if (rel >= burst.from && rel < burst.until)
    for (let k = 0; k < burst.perMinute; k++)
      pushGatewayRow(out, {
        t: minuteStart + Math.floor(rand() * MINUTE),
        subscription: burst.subscription,
        deployment: burst.deployment,
        correlationId: `gw-${Math.floor(minuteStart / MINUTE).toString(36)}-t${k}`,
        code: 429,
        backendMs: 0,
        rejection: {
          code: 429,
          source: 'llm-token-limit',
          reason: 'TokenLimitExceeded',
          message: `Token limit is exceeded. Try again in ${5 + Math.floor(rand() * 50)} seconds.`,
        },
      });
  const quota = GATEWAY_EPISODES.quota;
  if (rel >= quota.from)
    for (let k = 0; k < quota.perMinute; k++)
      pushGatewayRow(out, {
        t: minuteStart + Math.floor(rand() * MINUTE),
        subscription: quota.subscription,
        deployment: quota.deployment,
        correlationId: `gw-${Math.floor(minuteStart / MINUTE).toString(36)}-q${k}`,
        code: 403,
        backendMs: 0,
        rejection: {
          code: 403,
          source: 'llm-token-limit',
          reason: 'QuotaExceeded',
          message: 'Token quota is exceeded. Try again after the quota period resets.',
        },
      });
}
