import { owning } from '../owned.ts';
import { openSqliteDatabase } from '../sqlite/database.ts';
import { sqliteEngine } from '../sqlite/sql-engine.ts';
import type { PagingRepo } from './paging-repo.ts';
import { createPagingRepo } from './paging-store.ts';

/** The paging tables on a SQLite file (or `:memory:`) of its own, migrated like the store's; for tests and tools. */
export function openSqlitePagingRepo(path: string): PagingRepo {
  const database = openSqliteDatabase({ path });
  return owning(createPagingRepo(sqliteEngine(database)), database);
}
