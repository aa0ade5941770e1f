import { owning } from '../owned.ts';
import { openMigratedPool, type PostgresOptions } from '../postgres/pool.ts';
import { postgresEngine } from '../postgres/sql-engine.ts';
import type { EvidenceRepo } from './evidence-repo.ts';
import { createEvidenceRepo } from './evidence-store.ts';

/** The evidence table on a PostgreSQL pool of its own, migrated like the store's; for tests and tools. */
export async function openPostgresEvidenceRepo(options: PostgresOptions): Promise<EvidenceRepo> {
  const pool = await openMigratedPool(options);
  return owning(createEvidenceRepo(postgresEngine(pool)), { close: () => pool.end() });
}
