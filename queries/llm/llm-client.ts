import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AzureOpenAI,
  OpenAI,
} from 'openai';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';

// The one file that speaks the OpenAI SDK: the question router in handlers/ sees only these types.

/** A function tool the model may call, in the Chat Completions shape. */
export type LlmTool = ChatCompletionFunctionTool;

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

/** Why an SDK call failed, as far as the call itself tells. */
export type LlmCallFailure = 'timeout' | 'rate-limited' | 'http-error' | 'connection' | 'bad-response';

/** Classifies an error thrown by the SDK call, by type and HTTP status (never by message text). */
export function classifyError(err: unknown): { failure: LlmCallFailure; status: number | undefined } {
  if (err instanceof APIConnectionTimeoutError) return { failure: 'timeout', status: undefined };
  if (err instanceof APIUserAbortError) return { failure: 'timeout', status: undefined };
  if (err instanceof APIConnectionError) return { failure: 'connection', status: undefined };
  if (err instanceof APIError) {
    if (err.status === 429) return { failure: 'rate-limited', status: 429 };
    return { failure: 'http-error', status: err.status };
  }
  if (err instanceof Error && err.name === 'AbortError') return { failure: 'timeout', status: undefined };
  return { failure: 'bad-response', status: undefined };
}
