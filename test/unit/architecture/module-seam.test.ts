import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ModuleParts } from '../../../bot/module-list.ts';
import { ModuleList } from '../../../bot/module-list.ts';
import { askPlugin } from '../../../bot/modules/ask.ts';
import { incidentsPlugin } from '../../../bot/modules/incidents.ts';
import { MODULES } from '../../../bot/modules.ts';
import type { DeliveryLoopDeps } from '../../../bot/outbox/delivery-loop.ts';
import { PLATFORMS } from '../../../bot/platforms.ts';
import type { ProposalCardSource } from '../../../core/outbox/proposal-cards.ts';
import type { BotModule } from '../../../handlers/module.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const source = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function filesUnder(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, folder));
  return out;
}
const PRODUCTION = ['core', 'store', 'queries', 'cards', 'remediation', 'sim', 'handlers', 'bot'].flatMap(
  filesUnder,
);

/** The production files whose imports (values or types) name a file matching `target`. */
function importersOf(target: RegExp): string[] {
  return PRODUCTION.filter((file) =>
    [...source(file).matchAll(/from '([^']+)'/g)].some(([, spec]) => target.test(spec!)),
  );
}

/**
 * The composition root wires modules and chat platforms through two explicit lists. A module or
 * platform built anywhere else (a command pushed in app.ts, a surface added by hand) escapes the
 * lists: /help, the manifests, the ticks and readiness would no longer see everything.
 */
describe('the lists are the only composition point', () => {
  it('lists every module once, in card order, with the core first and /help last', () => {
    expect(MODULES.ids).toEqual([
      'incidents',
      'remediation',
      'gpu',
      'sim-dcgm-exporter',
      'queries',
      'detectors',
      'azure-metrics',
      'views',
      'oncall',
      'paging',
      'timeline',
      'inventory',
      'ask',
      'mcp',
      'help',
    ]);
    expect(PLATFORMS.map((p) => p.id)).toEqual(['console', 'slack', 'teams']);
  });

  it('only the plugins under bot/modules/ build a module of handlers/', () => {
    expect(
      importersOf(/^\.\.\/\.\.\/handlers\/[\w-]+\/[\w-]+-module\.ts$/).every((f) =>
        /^bot\/modules\//.test(f),
      ),
    ).toBe(true);
    expect(
      importersOf(/[\w-]+-module\.ts$/).filter((f) => f.startsWith('bot/') && !f.startsWith('bot/modules/')),
    ).toEqual([]);
  });

  it('no file of bot/ outside the module plugins takes a command or button of handlers/', () => {
    const outside = importersOf(/-(command|buttons)\.ts$/).filter(
      (f) => f.startsWith('bot/') && !f.startsWith('bot/modules/'),
    );
    expect(outside).toEqual([]);
  });

  it('only bot/modules.ts names the module plugins, only bot/platforms.ts the platform plugins', () => {
    expect(importersOf(/(^|\/)modules\/[\w-]+\.ts$/).filter((f) => !f.startsWith('bot/modules/'))).toEqual([
      'bot/modules.ts',
    ]);
    const platformFiles = /(console-platform|slack\/start-slack|teams\/start-teams)\.ts$/;
    expect(importersOf(platformFiles)).toEqual(['bot/platforms.ts']);
  });

  it('bot/app.ts builds no module, command, surface or route of a platform itself', () => {
    const imports = [...source('bot/app.ts').matchAll(/from '([^']+)'/g)].map(([, spec]) => spec!);
    expect(imports).toContain('./modules.ts');
    expect(imports).toContain('./platforms.ts');
    expect(
      imports.filter((s) => /\/adapters\/|\/commands\/(?!command\.ts)|-module\.ts$|\/modules\//.test(s)),
    ).toEqual([]);
    expect(source('bot/app.ts')).not.toMatch(/console-routes|slack-routes|teams-routes/);
  });
});

describe('modules reach each other by typed reference, never by lookup', () => {
  it.each(['bot/app.ts', 'bot/modules.ts', 'bot/module-list.ts', ...filesUnder('bot/modules')])(
    '%s never looks a module or command up',
    (path) => {
      const text = source(path);
      expect(text).not.toMatch(/modules\.(find|filter|some|every)\(/);
      expect(text).not.toMatch(/\b[a-z]\.id === '/);
    },
  );

  it('what one module offers another is its own type, not a member every module may have', () => {
    expectTypeOf<BotModule>().not.toHaveProperty('holdsIncidentCard');
    expectTypeOf<BotModule>().not.toHaveProperty('proposalCards');
    expectTypeOf<BotModule>().not.toHaveProperty('answerQuestion');
  });

  it('a module placed before one it needs does not compile (tsc checks this line)', () => {
    // @ts-expect-error the ask module needs the gpu module's gpuCommand, not provided yet
    const misordered = () => ModuleList.of<ModuleParts>().add(incidentsPlugin).add(askPlugin);
    expect(misordered).toBeTypeOf('function');
  });
});

describe('nothing in the composition root is bound late', () => {
  it('bot/app.ts declares every part once, in order: no `let`, no getter that reads a part set later', () => {
    const text = source('bot/app.ts');
    expect(text).not.toMatch(/^\s*let\s/m);
    expect(text).not.toMatch(/\?\.proposalCards|=>\s*modules\b/);
  });

  it('the delivery loop takes the proposal cards as a value, built before it', () => {
    expectTypeOf<DeliveryLoopDeps['proposalCards']>().toEqualTypeOf<ProposalCardSource | undefined>();
  });
});
