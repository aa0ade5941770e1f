import type pg from 'pg';
import { owning, shared } from '../owned.ts';
import { openMigratedPool, type PostgresOptions } from '../postgres/pool.ts';
import { type InventoryRepo, upsertLatest } from './inventory-repo.ts';

/** The shared inventory on PostgreSQL: one row, each statement atomic on its own. */
export function createPostgresInventoryRepo(pool: pg.Pool): InventoryRepo {
  return {
    async save({ json, discoveredAt }) {
      await pool.query(upsertLatest({ json: '$1', at: '$2' }), [json, discoveredAt]);
    },
    async latest() {
      const { rows } = await pool.query<{ inventory: string; discovered_at: string }>(
        'SELECT inventory, discovered_at FROM discovered_inventory WHERE id = 1',
      );
      const row = rows[0];
      return row && { json: row.inventory, discoveredAt: Number(row.discovered_at) };
    },
    close: shared,
  };
}

/** The same on a pool of its own, migrated like the store's; for tests and tools. */
export async function openPostgresInventoryRepo(options: PostgresOptions): Promise<InventoryRepo> {
  const pool = await openMigratedPool(options);
  return owning(createPostgresInventoryRepo(pool), { close: () => pool.end() });
}
