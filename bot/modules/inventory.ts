import { knownNodesFromBackend } from '../../handlers/gpu/known-nodes.ts';
import { discoverInventory } from '../../handlers/questions/discover-inventory.ts';
import { createInventoryModule } from '../../handlers/questions/inventory-module.ts';
import { LiveInventory } from '../../handlers/questions/live-inventory.ts';
import type { Config } from '../config.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';

type Needs = Pick<ModuleParts, 'store' | 'clock' | 'logger' | 'backends'>;

/**
 * The names questions resolve to, discovered from the configured backends (Log Analytics' vetted
 * inventory query, the nodes reporting DCGM metrics) on every platform, local mode included, plus
 * the policy's names and aliases. Always on: without backends it holds the policy's names only.
 * Provides the live inventory the question router reads.
 */
export const inventoryPlugin: ModulePlugin<Needs, Config, { inventory: LiveInventory }> = {
  id: 'inventory',
  fromConfig: (config) => config,
  async setUp(config, { store, clock, logger, backends }) {
    const { refreshEvery, lookback, ...names } = config.policy.inventory;
    const knownNodes = backends.knownNodes ?? (backends.metrics && knownNodesFromBackend(backends.metrics));
    // The store's: shared by the replicas on PostgreSQL.
    const repo = store.inventory;
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
