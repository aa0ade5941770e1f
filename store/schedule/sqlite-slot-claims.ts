import { owning } from '../owned.ts';
import { openSqliteDatabase } from '../sqlite/database.ts';
import { sqliteEngine } from '../sqlite/sql-engine.ts';
import type { SlotClaims } from './slot-claims.ts';
import { createSlotClaims } from './slot-claims-store.ts';

/** The slot claims on a SQLite file (or `:memory:`) of its own, migrated like the store's; for tests and tools. */
export function openSqliteSlotClaims(path: string): SlotClaims {
  const database = openSqliteDatabase({ path });
  return owning(createSlotClaims(sqliteEngine(database)), database);
}
