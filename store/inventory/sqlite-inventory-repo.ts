import { openModuleDatabase } from '../sqlite/module-database.ts';
import { type InventoryRepo, upsertLatest } from './inventory-repo.ts';

/** The table of the shared inventory in SQLite (`inventory_schema`). Never edit a shipped migration. */
export const INVENTORY_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE discovered_inventory (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    inventory     TEXT NOT NULL,
    discovered_at INTEGER NOT NULL
  );
  `,
];

/** Opens the shared inventory in a SQLite file (the bot's own `bot.db` works) or `:memory:`. */
export function openSqliteInventoryRepo(path: string): InventoryRepo {
  const db = openModuleDatabase(path, { table: 'inventory_schema', migrations: INVENTORY_MIGRATIONS });
  const save = db.prepare(upsertLatest({ json: '@json', at: '@at' }));
  const latest = db.prepare('SELECT inventory, discovered_at FROM discovered_inventory WHERE id = 1');
  return {
    async save({ json, discoveredAt }) {
      save.run({ json, at: discoveredAt });
    },
    async latest() {
      const row = latest.get() as { inventory: string; discovered_at: number } | undefined;
      return row && { json: row.inventory, discoveredAt: row.discovered_at };
    },
    async close() {
      db.close();
    },
  };
}
