import { owning } from '../owned.ts';
import { openSqliteDatabase } from '../sqlite/database.ts';
import { sqliteEngine } from '../sqlite/sql-engine.ts';
import type { EvidenceRepo } from './evidence-repo.ts';
import { createEvidenceRepo } from './evidence-store.ts';

/** The evidence table on a SQLite file (or `:memory:`) of its own, migrated like the store's; for tests and tools. */
export function openSqliteEvidenceRepo(path: string): EvidenceRepo {
  const database = openSqliteDatabase({ path });
  return owning(createEvidenceRepo(sqliteEngine(database)), database);
}
