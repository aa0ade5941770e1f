import type pg from 'pg';
import { openMigratedPool, type PostgresOptions } from '../postgres/pool.ts';
import { type InventoryRepo, upsertLatest } from './inventory-repo.ts';

/** The same table as the SQLite one, with bigint milliseconds. Never edit a shipped migration. */
export const INVENTORY_PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE discovered_inventory (
    id            integer PRIMARY KEY CHECK (id = 1),
    inventory     text NOT NULL,
    discovered_at bigint NOT NULL
  );
  `,
];

/** The shared inventory on PostgreSQL: one row, each statement atomic on its own. */
export async function openPostgresInventoryRepo(options: PostgresOptions): Promise<InventoryRepo> {
  const pool: pg.Pool = await openMigratedPool(options, {
    table: 'inventory_schema_migrations',
    migrations: INVENTORY_PG_MIGRATIONS,
  });
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
    close: () => pool.end(),
  };
}
