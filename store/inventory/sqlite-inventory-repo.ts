import { owning, shared } from '../owned.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../sqlite/database.ts';
import { type InventoryRepo, upsertLatest } from './inventory-repo.ts';

/** Opens the shared inventory in a SQLite file (the bot's own `bot.db` works) or `:memory:`. */
export function createSqliteInventoryRepo(database: SqliteDatabase): InventoryRepo {
  const db = database.connection;
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
    close: shared,
  };
}

/** The same on a SQLite file (or `:memory:`) of its own, migrated like the store's; for tests and tools. */
export function openSqliteInventoryRepo(path: string): InventoryRepo {
  const database = openSqliteDatabase({ path });
  return owning(createSqliteInventoryRepo(database), database);
}
