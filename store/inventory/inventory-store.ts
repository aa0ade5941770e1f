import { sql } from 'kysely';
import { shared } from '../owned.ts';
import { raw, type SqlEngine } from '../sql/executor.ts';
import type { InventoryRepo } from './inventory-repo.ts';

/** The shared inventory, once for both engines: one row, each statement atomic on its own. */
export function createInventoryRepo(engine: SqlEngine): InventoryRepo {
  return {
    async save({ json, discoveredAt }) {
      // A discovery older than the stored one never replaces it (replicas race harmlessly).
      await engine.db.run(
        raw(
          engine,
          sql`INSERT INTO discovered_inventory (id, inventory, discovered_at) VALUES (1, ${json}, ${discoveredAt})
            ON CONFLICT (id) DO UPDATE SET inventory = excluded.inventory, discovered_at = excluded.discovered_at
            WHERE excluded.discovered_at >= discovered_inventory.discovered_at`,
        ),
      );
    },
    async latest() {
      const row = await engine.db.first(
        raw(
          engine,
          sql<{
            inventory: string;
            discovered_at: number;
          }>`SELECT inventory, discovered_at FROM discovered_inventory WHERE id = 1`,
        ),
      );
      return row && { json: row.inventory, discoveredAt: Number(row.discovered_at) };
    },
    close: shared,
  };
}
