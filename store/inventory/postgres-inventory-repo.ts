import { owning } from '../owned.ts';
import { openMigratedPool, type PostgresOptions } from '../postgres/pool.ts';
import { postgresEngine } from '../postgres/sql-engine.ts';
import type { InventoryRepo } from './inventory-repo.ts';
import { createInventoryRepo } from './inventory-store.ts';

/** The shared inventory on a PostgreSQL pool of its own, migrated like the store's; for tests and tools. */
export async function openPostgresInventoryRepo(options: PostgresOptions): Promise<InventoryRepo> {
  const pool = await openMigratedPool(options);
  return owning(createInventoryRepo(postgresEngine(pool)), { close: () => pool.end() });
}
