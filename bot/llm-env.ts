import { z } from 'zod';
import type { LlmEndpoint } from '../queries/llm/llm-client.ts';
import { optionalSecret } from './env-values.ts';

/** The environment variables of the optional LLM question router (part of `envSchema`). */
export const llmEnv = {
  /** Optional LLM question router: OpenAI (or a server speaking its API) … */
  OPENAI_API_KEY: optionalSecret(8),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** … or Azure OpenAI (endpoint, key and deployment together). */
  AZURE_OPENAI_ENDPOINT: z.url().optional(),
  AZURE_OPENAI_API_KEY: optionalSecret(8),
  AZURE_OPENAI_DEPLOYMENT: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a deployment name such as gpt-4o-mini')
    .optional(),
  AZURE_OPENAI_API_VERSION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'an API version such as 2024-10-21')
    .default('2024-10-21'),
};

type LlmVars = z.output<z.ZodObject<typeof llmEnv>>;

/** The LLM endpoint from the environment: OpenAI or Azure OpenAI, complete, never both. */
export function llmEndpoint(e: LlmVars, problems: string[]): LlmEndpoint | undefined {
  const azure = [e.AZURE_OPENAI_ENDPOINT, e.AZURE_OPENAI_API_KEY, e.AZURE_OPENAI_DEPLOYMENT];
  if (azure.some(Boolean)) {
    if (e.OPENAI_API_KEY || e.OPENAI_BASE_URL)
      problems.push(
        'OPENAI_API_KEY: set either OPENAI_* or AZURE_OPENAI_* for the question router, not both',
      );
    const [endpoint, apiKey, deployment] = azure;
    if (!endpoint || !apiKey || !deployment) {
      problems.push(
        'AZURE_OPENAI_ENDPOINT: the Azure OpenAI question router needs AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT together',
      );
      return undefined;
    }
    return {
      provider: 'azure' as const,
      endpoint,
      apiKey,
      deployment,
      apiVersion: e.AZURE_OPENAI_API_VERSION,
    } satisfies LlmEndpoint;
  }
  if (!e.OPENAI_API_KEY) return undefined;
  return {
    provider: 'openai' as const,
    apiKey: e.OPENAI_API_KEY,
    baseUrl: e.OPENAI_BASE_URL,
    model: e.OPENAI_MODEL,
  } satisfies LlmEndpoint;
}
