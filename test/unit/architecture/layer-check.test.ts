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
      'core-zod-and-node-only: core/logs.ts → pino',
      'layer-core: core/leaky.ts → bot/config.ts',
      'layer-handlers: handlers/chat.ts → bot/adapters/slack.ts',
      'layer-store: store/repo.ts → handlers/handle.ts',
      'sim-only-from-local-mode: bot/app.ts → sim/world.ts',
    ]);
  });
});
