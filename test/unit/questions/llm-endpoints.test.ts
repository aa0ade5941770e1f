import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { createLogger } from '../../../bot/logger.ts';
import { ConfigError } from '../../../core/config-error.ts';
import { createLlmRouter } from '../../../handlers/questions/llm/llm-router.ts';
import { createQuestionRouter } from '../../../handlers/questions/route-question.ts';
import { createLlmClient, modelOf } from '../../../queries/llm/llm-client.ts';
import { questionCatalog, questionInventory } from '../../fixtures/questions/catalog.ts';
import { type OpenAiServer, startOpenAiServer } from '../../servers/openai.ts';

const AZURE_KEY = '0123456789abcdef0123456789abcdef';
const clock = { now: new Date('2026-11-28T14:00:00Z'), timeZone: 'UTC' };

describe('Azure OpenAI flavour', () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: AZURE_KEY, flavour: 'azure' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('calls the deployment path with api-version and the api-key header, and uses the tool call', async () => {
    const config = loadConfig({
      AZURE_OPENAI_ENDPOINT: server.url,
      AZURE_OPENAI_API_KEY: AZURE_KEY,
      AZURE_OPENAI_DEPLOYMENT: 'router-mini',
      LLM_TIMEOUT_MS: '2000',
    });
    const llm = config.llm!;
    expect(llm.endpoint).toMatchObject({
      provider: 'azure',
      deployment: 'router-mini',
      apiVersion: '2024-10-21',
    });
    const lines: string[] = [];
    const router = createLlmRouter({
      client: createLlmClient(llm.endpoint, llm.timeoutMs),
      model: modelOf(llm.endpoint),
      queries: questionCatalog,
      offline: createQuestionRouter({ queries: questionCatalog, inventory: questionInventory }),
      timeoutMs: llm.timeoutMs,
      logger: createLogger({ destination: { write: (l) => lines.push(l) } }),
    });
    server.script({ kind: 'tool', name: 'token-usage', arguments: '{"window":"7d"}' });
    expect(await router.route('tokens burned this week', clock)).toMatchObject({
      kind: 'query',
      id: 'token-usage',
      params: { window: '7d' },
    });
    const req = server.received.at(-1)!;
    expect(req.path).toBe('/openai/deployments/router-mini/chat/completions');
    expect(req.query.get('api-version')).toBe('2024-10-21');
    expect(req.headers['api-key']).toBe(AZURE_KEY);
    expect(req.headers.authorization).toBeUndefined();
    expect(lines.join('\n')).not.toContain(AZURE_KEY);
  });
});

describe('LLM router configuration', () => {
  it('is off without a key, and OpenAI with the default model and timeout when a key is set', () => {
    expect(loadConfig({}).llm).toBeUndefined();
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-test-abcdefgh12345678',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    expect(config.llm).toEqual({
      endpoint: {
        provider: 'openai',
        apiKey: 'sk-test-abcdefgh12345678',
        baseUrl: 'http://127.0.0.1:9/v1',
        model: 'gpt-4o-mini',
      },
      timeoutMs: 4000,
    });
    expect(config.secrets).toContain('sk-test-abcdefgh12345678');
  });

  it('rejects a partial Azure configuration and both providers at once, without echoing the key', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) return err.problems.join('\n');
        throw err;
      }
      return '';
    };
    const partial = problems({
      AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
      AZURE_OPENAI_API_KEY: AZURE_KEY,
    });
    expect(partial).toMatch(/AZURE_OPENAI_DEPLOYMENT/);
    expect(partial).not.toContain(AZURE_KEY);
    expect(
      problems({
        OPENAI_API_KEY: 'sk-test-abcdefgh12345678',
        AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
        AZURE_OPENAI_API_KEY: AZURE_KEY,
        AZURE_OPENAI_DEPLOYMENT: 'd',
      }),
    ).toMatch(/not both/);
    expect(problems({ OPENAI_API_KEY: 'sk-test-abcdefgh12345678', LLM_TIMEOUT_MS: '5' })).toMatch(
      /LLM_TIMEOUT_MS/,
    );
  });
});
