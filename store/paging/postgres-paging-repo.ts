import { owning } from '../owned.ts';
import { openMigratedPool, type PostgresOptions } from '../postgres/pool.ts';
import { postgresEngine } from '../postgres/sql-engine.ts';
import type { PagingRepo } from './paging-repo.ts';
import { createPagingRepo } from './paging-store.ts';

/** The paging tables on a PostgreSQL pool of its own, migrated like the store's; for tests and tools. */
export async function openPostgresPagingRepo(options: PostgresOptions): Promise<PagingRepo> {
  const pool = await openMigratedPool(options);
  return owning(createPagingRepo(postgresEngine(pool)), { close: () => pool.end() });
}
