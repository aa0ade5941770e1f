import { z } from 'zod';
import { cardTime } from '../../cards/templates/format.ts';
import { formatDuration } from '../../core/duration.ts';
import { buildMessage, type Fact, type Section } from '../../core/message.ts';
import type { InventoryRepo } from '../../store/inventory/inventory-repo.ts';
import { defineCommand, tokenize } from '../commands/command.ts';
import type { BotModule } from '../module.ts';
import type { Inventory } from './inventory.ts';
import type { InventoryStatus, LiveInventory } from './live-inventory.ts';

/** Names shown per list; the rest are counted. */
const SHOWN = 30;

const LISTS: [keyof Omit<Inventory, 'aliases'>, string][] = [
  ['deployments', 'Deployments'],
  ['modelVersions', 'Model versions'],
  ['appRoles', 'App roles'],
  ['operations', 'Operations'],
  ['teams', 'Teams'],
  ['nodes', 'GPU nodes'],
];

function namesFact(label: string, names: readonly string[]): Fact {
  if (names.length === 0) return [label, 'none known'];
  const more = names.length > SHOWN ? ` (+${names.length - SHOWN} more)` : '';
  return [`${label} (${names.length})`, names.slice(0, SHOWN).join(', ') + more];
}

/** The `/inventory` answer: every list, the aliases, where the names came from and how old they are. */
export function inventoryMessage(status: InventoryStatus, now: number, timeZone: string) {
  const { inventory, discovery, discoveredAt } = status;
  const facts = LISTS.map(([list, label]) => namesFact(label, inventory[list]));
  const aliases = Object.entries(inventory.aliases);
  if (aliases.length > 0) facts.push(['Aliases', aliases.map(([a, name]) => `${a} → ${name}`).join(', ')]);
  const sections: Section[] = [{ kind: 'facts', facts }];
  for (const problem of discovery?.problems ?? [])
    sections.push({ kind: 'notice', tone: 'warning', text: `Could not read names: ${problem}` });
  const subtitle =
    discoveredAt === undefined
      ? 'Not discovered yet: names from the policy only. /inventory refresh looks now.'
      : [
          'Discovered ',
          cardTime(discoveredAt, { timeZone, now }),
          ` (${formatDuration(Math.max(0, now - discoveredAt))} old when answered) from ${discovery?.sources.join(', ') || 'no source'}`,
        ];
  return buildMessage({
    header: { title: 'Names questions resolve to', status: 'info', subtitle },
    sections,
  });
}

/**
 * The discovered inventory as a module: `/inventory [refresh]`, the periodic refresh, and the
 * shared table it closes with the bot.
 */
export function createInventoryModule(options: {
  live: LiveInventory;
  repo: InventoryRepo | undefined;
  timeZone: string;
}): BotModule {
  const { live } = options;
  const command = defineCommand({
    id: 'inventory',
    usage: '/inventory [refresh]',
    description:
      'The deployments, app roles, teams and nodes questions resolve names to, and how old they are.',
    args: z.object({ raw: z.string() }).transform(({ raw }, ctx) => {
      const words = tokenize(raw);
      if (words.length > 1 || (words[0] !== undefined && words[0].toLowerCase() !== 'refresh')) {
        ctx.addIssue({
          code: 'custom',
          message: 'the only word it takes is "refresh", e.g. /inventory refresh',
        });
        return z.NEVER;
      }
      return { refresh: words.length === 1 };
    }),
    async handle({ args }, deps) {
      if (args.refresh) await live.refresh(true);
      return inventoryMessage(live.status(), deps.clock.now(), options.timeZone);
    },
  });
  return {
    id: 'inventory',
    commands: [command],
    async tick() {
      live.refreshIfDue();
    },
    close: async () => {
      await live.idle();
      await options.repo?.close();
    },
  };
}
