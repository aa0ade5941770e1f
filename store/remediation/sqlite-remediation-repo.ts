import { owning } from '../owned.ts';
import { openSqliteDatabase } from '../sqlite/database.ts';
import { sqliteEngine } from '../sqlite/sql-engine.ts';
import type { RemediationRepo } from './remediation-repo.ts';
import { createRemediationRepo } from './remediation-store.ts';

/**
 * The remediation tables on a SQLite file (or `:memory:`) of its own, migrated like the store's;
 * `readonly` opens an existing file for inspection only (audit:verify). The bot uses the store's.
 */
export function openSqliteRemediationRepo(
  path: string,
  options: { readonly?: boolean } = {},
): RemediationRepo {
  const database = openSqliteDatabase({ path, readonly: options.readonly });
  try {
    // A file without the remediation tables fails here, naming the missing table.
    database.connection.prepare('SELECT seq FROM remediation_audit LIMIT 0').all();
  } catch (err) {
    void database.close();
    throw err;
  }
  return owning(createRemediationRepo(sqliteEngine(database)), database);
}
