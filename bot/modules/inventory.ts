import { join } from 'node:path';
import { knownNodesFromBackend } from '../../handlers/gpu/known-nodes.ts';
import { discoverInventory } from '../../handlers/questions/discover-inventory.ts';
import { createInventoryModule } from '../../handlers/questions/inventory-module.ts';
import { LiveInventory } from '../../handlers/questions/live-inventory.ts';
import type { InventoryRepo } from '../../store/inventory/inventory-repo.ts';
import { openPostgresInventoryRepo } from '../../store/inventory/postgres-inventory-repo.ts';
import { openSqliteInventoryRepo } from '../../store/inventory/sqlite-inventory-repo.ts';
import type { Config } from '../config.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';

type Needs = Pick<ModuleParts, 'clock' | 'logger' | 'backends'>;

/** Shared by the replicas on DATABASE_URL; else a table in the bot's own SQLite file. */
async function openInventoryRepo(config: Config): Promise<InventoryRepo> {
  return config.databaseUrl
    ? openPostgresInventoryRepo({ connectionString: config.databaseUrl, poolSize: 1 })
    : openSqliteInventoryRepo(join(config.dataDir, 'bot.db'));
}

/**
 * The names questions resolve to, discovered from the configured backends (Log Analytics' vetted
 * inventory query, the nodes reporting DCGM metrics) on every platform, local mode included, plus
 * the policy's names and aliases. Always on: without backends it holds the policy's names only.
 * Provides the live inventory the question router reads.
 */
export const inventoryPlugin: ModulePlugin<Needs, Config, { inventory: LiveInventory }> = {
  id: 'inventory',
  fromConfig: (config) => config,
  async setUp(config, { clock, logger, backends }) {
    const { refreshEvery, lookback, ...names } = config.policy.inventory;
    const knownNodes = backends.knownNodes ?? (backends.metrics && knownNodesFromBackend(backends.metrics));
    const repo = await openInventoryRepo(config);
    const live = new LiveInventory({
      // Local mode's simulator names are known from the start; discovery adds what it sees.
      base: [backends.inventory, names],
      discover: () => discoverInventory({ logs: backends.logs, knownNodes, lookbackMs: lookback }),
      repo,
      clock,
      refreshEveryMs: refreshEvery,
      logger,
    });
    // The first discovery starts now, beside the start-up; questions meanwhile use the names known.
    live.refreshIfDue();
    const module = createInventoryModule({ live, repo, timeZone: config.policy.timeZone });
    return { module, provides: { inventory: live } };
  },
};
