import { owning } from '../owned.ts';
import { openSqliteDatabase } from '../sqlite/database.ts';
import { sqliteEngine } from '../sqlite/sql-engine.ts';
import type { InventoryRepo } from './inventory-repo.ts';
import { createInventoryRepo } from './inventory-store.ts';

/** The shared inventory on a SQLite file (or `:memory:`) of its own, migrated like the store's; for tests and tools. */
export function openSqliteInventoryRepo(path: string): InventoryRepo {
  const database = openSqliteDatabase({ path });
  return owning(createInventoryRepo(sqliteEngine(database)), database);
}
