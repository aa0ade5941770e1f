import { AzureOpenAI, OpenAI } from 'openai';

/** Where the LLM router sends questions: OpenAI (or any server speaking its API) or Azure OpenAI. */
export type LlmEndpoint =
  | { provider: 'openai'; apiKey: string; baseUrl: string | undefined; model: string }
  | { provider: 'azure'; endpoint: string; apiKey: string; deployment: string; apiVersion: string };

/** The one call the router makes; both SDK clients have it. */
export type ChatCompletionsClient = Pick<OpenAI, 'chat'>;

/**
 * An SDK client for the endpoint. Retries are off: the router has one short time budget per
 * question and falls back to the offline router instead of waiting out a 429.
 */
export function createLlmClient(endpoint: LlmEndpoint, timeoutMs: number): ChatCompletionsClient {
  if (endpoint.provider === 'azure')
    return new AzureOpenAI({
      endpoint: endpoint.endpoint,
      apiKey: endpoint.apiKey,
      deployment: endpoint.deployment,
      apiVersion: endpoint.apiVersion,
      timeout: timeoutMs,
      maxRetries: 0,
    });
  return new OpenAI({
    apiKey: endpoint.apiKey,
    baseURL: endpoint.baseUrl,
    timeout: timeoutMs,
    maxRetries: 0,
  });
}

/** The model name sent in the request (Azure routes by deployment; the name is echoed there). */
export function modelOf(endpoint: LlmEndpoint): string {
  return endpoint.provider === 'azure' ? endpoint.deployment : endpoint.model;
}
