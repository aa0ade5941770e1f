import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { InventoryRepo } from '../../store/inventory/inventory-repo.ts';
import { type Discovery, discoverySchema } from './discover-inventory.ts';
import { type Inventory, type InventoryInput, mergeInventories } from './inventory.ts';

/** Where the router reads the names from: always the latest, without waiting for anything. */
export interface InventorySource {
  current(): Inventory;
}

export interface LiveInventoryOptions {
  /** Names that hold whatever is discovered: the policy's names and aliases (and local mode's seed). */
  base: readonly InventoryInput[];
  discover: () => Promise<Discovery>;
  /** Shared by the replicas; without it each replica discovers on its own. */
  repo: InventoryRepo | undefined;
  clock: Clock;
  refreshEveryMs: number;
  logger: Logger;
}

/** What `/inventory` shows about where the names came from. */
export interface InventoryStatus {
  inventory: Inventory;
  discovery: Discovery | undefined;
  discoveredAt: number | undefined;
}

/**
 * The inventory on a real platform: the base names plus the latest discovery, refreshed every
 * `refreshEveryMs`. A replica first reads what another one stored and discovers only when that is
 * older than the interval, then stores its own. Refreshing runs beside questions, never in their way.
 */
export class LiveInventory implements InventorySource {
  private merged: Inventory;
  private discovery: Discovery | undefined;
  private discoveredAt: number | undefined;
  private nextCheck = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;

  constructor(private readonly options: LiveInventoryOptions) {
    this.merged = mergeInventories(...options.base);
  }

  current(): Inventory {
    return this.merged;
  }

  status(): InventoryStatus {
    return { inventory: this.merged, discovery: this.discovery, discoveredAt: this.discoveredAt };
  }

  /** Starts a refresh when one is due (periodic work calls this; it does not wait for it). */
  refreshIfDue(): void {
    if (this.running || this.options.clock.now() < this.nextCheck) return;
    void this.refresh();
  }

  /** Refreshes now (`force`: discover even if the stored discovery is recent); one at a time. */
  refresh(force = false): Promise<void> {
    this.running ??= this.load(force).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves once no refresh is running: before closing the table it writes to. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async load(force: boolean): Promise<void> {
    const { repo, clock, refreshEveryMs, logger } = this.options;
    this.nextCheck = clock.now() + refreshEveryMs;
    try {
      const stored = force ? undefined : await repo?.latest();
      if (stored && clock.now() - stored.discoveredAt < refreshEveryMs) {
        const parsed = discoverySchema.safeParse(JSON.parse(stored.json));
        if (parsed.success) return this.adopt(parsed.data, stored.discoveredAt);
        logger.warn(
          { issue: parsed.error.issues[0]?.path.join('.') },
          'stored inventory unreadable; discovering',
        );
      }
      const at = clock.now();
      const found = await this.options.discover();
      // Nothing could be read (every source failed): keep the names known so far, report why.
      const discovery =
        found.sources.length === 0 && this.discovery ? { ...found, names: this.discovery.names } : found;
      this.adopt(discovery, at);
      if (found.sources.length > 0) await repo?.save({ json: JSON.stringify(discovery), discoveredAt: at });
      logger.info(
        {
          sources: discovery.sources,
          problems: discovery.problems,
          deployments: discovery.names.deployments.length,
        },
        'inventory discovered',
      );
    } catch (err) {
      logger.warn({ err }, 'inventory refresh failed; keeping the names known so far');
    }
  }

  private adopt(discovery: Discovery, at: number): void {
    this.discovery = discovery;
    this.discoveredAt = at;
    this.merged = mergeInventories(...this.options.base, discovery.names);
  }
}
