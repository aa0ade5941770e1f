import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../core/errors.ts';

const BUSY = /^SQLITE_(BUSY|LOCKED)/;
const BUSY_ATTEMPTS = 50;

/**
 * A module's tables in a SQLite file of their own connection (the bot's own `bot.db` works: the
 * tables are separate; or `:memory:`). Migrations are recorded in `schemaTable`; processes
 * starting together migrate one after the other (start-up may block on the lock), and after that
 * the event loop never blocks on it: {@link atomically} retries a busy database instead.
 */
export function openModuleDatabase(
  path: string,
  schema: { table: string; migrations: readonly string[] },
): Database.Database {
  if (!/^[a-z_]+$/.test(schema.table)) throw new Error(`bad schema table name ${schema.table}`);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS ${schema.table} (version INTEGER NOT NULL)`);
  db.transaction(() => {
    const row = db.prepare(`SELECT version FROM ${schema.table}`).get() as { version: number } | undefined;
    if (!row) db.prepare(`INSERT INTO ${schema.table} (version) VALUES (0)`).run();
    for (let v = row?.version ?? 0; v < schema.migrations.length; v++) {
      db.exec(schema.migrations[v]!);
      db.prepare(`UPDATE ${schema.table} SET version = ?`).run(v + 1);
    }
  }).immediate();
  db.pragma('busy_timeout = 0');
  return db;
}

/**
 * Runs `fn` as one immediate transaction: a unit other connections see whole or not at all.
 * While another connection holds the write lock it is retried with a growing pause, and after
 * enough attempts reported as {@link StoreUnavailableError} naming `what`.
 */
export function atomicRunner(db: Database.Database, what: string) {
  return async function atomically<T>(fn: () => T): Promise<T> {
    const run = db.transaction(fn);
    for (let attempt = 0; ; attempt++) {
      try {
        return run.immediate();
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (!BUSY.test(code)) throw err;
        if (attempt >= BUSY_ATTEMPTS)
          throw new StoreUnavailableError(`${what} busy (${code})`, { cause: err });
        await delay(5 + attempt * 5);
      }
    }
  };
}
