import type { Db } from './db.ts';
import { MIGRATIONS } from './migrations.ts';

// Any constant shared by every replica: pg_advisory_xact_lock takes a bigint key.
const MIGRATION_LOCK_KEY = 7_304_612_918;

/**
 * Applies pending migrations in one transaction under an advisory lock, so replicas starting
 * together queue up: the first applies them, the others find nothing left to do. `db` must be a
 * single connection (a checked-out client), since the lock and the DDL share its transaction.
 */
export async function migrate(db: Db): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await db.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const [row] = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    for (let v = row?.v ?? 0; v < MIGRATIONS.length; v++) {
      await db.query(MIGRATIONS[v]!);
      await db.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1]);
    }
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
