import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer check of `npm run lint:layers` reads the real imports; here its rules run over a
 * small tree with one violation of each, to prove every rule can fail.
 */
const config = createRequire(import.meta.url)('../../../.dependency-cruiser.cjs') as IConfiguration;

const TREE: Record<string, string> = {
  'core/clock.ts': "import { hrtime } from 'node:process';\nexport const now = hrtime;\n",
  'core/logs.ts': "import pino from 'pino';\nexport const log = pino;\n",
  'core/leaky.ts': "import type { Config } from '../bot/config.ts';\nexport type C = Config;\n",
  'store/repo.ts': "import { handle } from '../handlers/handle.ts';\nexport const r = handle;\n",
  'cards/card.ts': "import { now } from '../core/clock.ts';\nexport const c = now;\n",
  'handlers/handle.ts': "import { c } from '../cards/card.ts';\nexport const handle = c;\n",
  'handlers/chat.ts': "import { s } from '../bot/adapters/slack.ts';\nexport const h = s;\n",
  'handlers/ask.ts': "import { OpenAI } from 'openai';\nexport const a = OpenAI;\n",
  'handlers/kube.ts':
    "import type { KubeConfig } from '@kubernetes/client-node';\nexport type K = KubeConfig;\n",
  'handlers/post.ts': "import { WebClient } from '@slack/web-api';\nexport const p = WebClient;\n",
  'handlers/agent.ts':
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const m = McpServer;\n",
  // Unlike the chat SDKs, MCP is not allowed in bot/http/ either: only in its adapter.
  'bot/http/mcp.ts':
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const m = McpServer;\n",
  'bot/adapters/mcp.ts':
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const m = McpServer;\n",
  // Stand-ins for the SDK packages, so the imports resolve into node_modules as the real ones do.
  'node_modules/openai/package.json': '{ "name": "openai", "main": "index.js" }\n',
  'node_modules/openai/index.js': 'exports.OpenAI = class {};\n',
  'node_modules/@kubernetes/client-node/package.json':
    '{ "name": "@kubernetes/client-node", "main": "index.js" }\n',
  'node_modules/@kubernetes/client-node/index.js': 'exports.KubeConfig = class {};\n',
  'node_modules/@slack/web-api/package.json': '{ "name": "@slack/web-api", "main": "index.js" }\n',
  'node_modules/@slack/web-api/index.js': 'exports.WebClient = class {};\n',
  'node_modules/@modelcontextprotocol/sdk/package.json':
    '{ "name": "@modelcontextprotocol/sdk", "exports": { "./server/mcp.js": "./server/mcp.js" } }\n',
  'node_modules/@modelcontextprotocol/sdk/server/mcp.js': 'exports.McpServer = class {};\n',
  'sim/world.ts': 'export const world = 1;\n',
  'bot/config.ts': 'export type Config = { port: number };\n',
  'bot/adapters/slack.ts': 'export const s = 1;\n',
  'bot/local-mode.ts': "import { world } from '../sim/world.ts';\nexport const w = world;\n",
  'bot/app.ts': "import { world } from '../sim/world.ts';\nexport const a = world;\n",
};

describe('the layer check', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'layers-'));
    for (const [path, text] of Object.entries(TREE)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports each import against the layers, and nothing else', async () => {
    const { tsConfig: _ignored, ...options } = config.options ?? {};
    const result = await cruise(['core', 'store', 'cards', 'handlers', 'sim', 'bot'], {
      ...options,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      baseDir: root,
    });
    const output = result.output as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    const found = output.summary.violations
      .filter((v) => v.rule.name !== 'no-unresolvable')
      .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
      .sort();
    expect(found).toEqual([
      'adapters-only-from-bot: handlers/chat.ts → bot/adapters/slack.ts',
      'chat-sdks-only-in-adapters: handlers/post.ts → node_modules/@slack/web-api/index.js',
      'core-zod-and-node-only: core/logs.ts → pino',
      'layer-core: core/leaky.ts → bot/config.ts',
      'layer-handlers: handlers/chat.ts → bot/adapters/slack.ts',
      'layer-store: store/repo.ts → handlers/handle.ts',
      'mcp-sdk-only-in-adapters: bot/http/mcp.ts → node_modules/@modelcontextprotocol/sdk/server/mcp.js',
      'mcp-sdk-only-in-adapters: handlers/agent.ts → node_modules/@modelcontextprotocol/sdk/server/mcp.js',
      'no-platform-sdks-in-handlers: handlers/ask.ts → node_modules/openai/index.js',
      'no-platform-sdks-in-handlers: handlers/kube.ts → node_modules/@kubernetes/client-node/index.js',
      'sim-only-from-local-mode: bot/app.ts → sim/world.ts',
    ]);
  });
});
