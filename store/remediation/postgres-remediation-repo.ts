import { owning } from '../owned.ts';
import { openMigratedPool, type PostgresOptions } from '../postgres/pool.ts';
import { postgresEngine } from '../postgres/sql-engine.ts';
import type { RemediationRepo } from './remediation-repo.ts';
import { createRemediationRepo } from './remediation-store.ts';

/**
 * The remediation tables on a PostgreSQL pool of its own (tests, audit:verify); the bot uses the
 * store's. Every rule holds across replicas because each method is one SERIALIZABLE transaction.
 */
export async function openPostgresRemediationRepo(options: PostgresOptions): Promise<RemediationRepo> {
  const pool = await openMigratedPool(options);
  return owning(createRemediationRepo(postgresEngine(pool)), { close: () => pool.end() });
}
