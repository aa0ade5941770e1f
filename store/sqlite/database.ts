import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { AppError, StoreUnavailableError } from '../../core/errors.ts';
import { migrateSqlite } from './schema.ts';

export interface SqliteOptions {
  /** File path, or ':memory:' for tests. */
  path: string;
  /**
   * NORMAL (default): in WAL mode a commit survives a crash of the process (kill -9), and the
   * database is never corrupted; the last commits may be lost only on power loss or an OS crash.
   * FULL: fsync on every commit, durable across power loss, at a cost in intake throughput.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** Opens an existing file for inspection only (audit:verify): nothing is created or migrated. */
  readonly?: boolean;
}

const BUSY = /^SQLITE_(BUSY|LOCKED)/;
const BUSY_ATTEMPTS = 50;
/** How long a statement outside a transaction waits for another process's write lock. */
const STATEMENT_BUSY_MS = 5000;

/** Wraps driver errors so callers can tell "try again later" (503) from bugs. */
export function unavailable(err: unknown): never {
  const code = (err as { code?: string }).code ?? '';
  if (/^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL)/.test(code)) {
    throw new StoreUnavailableError(`database unavailable (${code})`, { cause: err });
  }
  throw err;
}

/**
 * The one connection of the SQLite store, which every module's repositories share. Transactions
 * on one connection must not interleave: they queue, each BEGIN IMMEDIATE … COMMIT in turn.
 */
export interface SqliteDatabase {
  readonly connection: Database.Database;
  /**
   * Runs `fn` as one immediate transaction after every transaction queued before it. `fn` may
   * await the repos (never the network); a transaction started inside another fails loudly.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** A synchronous unit of statements, queued like any transaction. */
  atomically<T>(fn: () => T): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens (and migrates) the store's SQLite file in WAL mode. While another process holds the write
 * lock, BEGIN IMMEDIATE is retried with a growing pause rather than blocking the event loop, and
 * after enough attempts reported as {@link StoreUnavailableError}.
 */
export function openSqliteDatabase(options: SqliteOptions): SqliteDatabase {
  let db: Database.Database;
  if (options.readonly) {
    db = new Database(options.path, { readonly: true, fileMustExist: true });
  } else {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${STATEMENT_BUSY_MS}`);
    migrateSqlite(db);
  }
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const noWait = db.prepare('PRAGMA busy_timeout = 0');
  const wait = db.prepare(`PRAGMA busy_timeout = ${STATEMENT_BUSY_MS}`);

  /** BEGIN IMMEDIATE without waiting on the lock inside the driver: retried here instead. */
  async function beginImmediate(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      noWait.get();
      try {
        begin.run();
        return;
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (!BUSY.test(code)) unavailable(err);
        if (attempt >= BUSY_ATTEMPTS)
          throw new StoreUnavailableError(`database busy (${code})`, { cause: err });
      } finally {
        wait.get();
      }
      await delay(5 + attempt * 5);
    }
  }

  async function run<T>(fn: () => Promise<T>): Promise<T> {
    await beginImmediate();
    try {
      const result = await fn();
      commit.run();
      return result;
    } catch (err) {
      if (db.inTransaction) rollback.run();
      return unavailable(err);
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  const inside = new AsyncLocalStorage<true>();
  function transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (inside.getStore()) {
      return Promise.reject(
        new AppError('NESTED_TRANSACTION', 'a transaction was started inside another one'),
      );
    }
    const next = queue.then(() => inside.run(true, () => run(fn)));
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    connection: db,
    transaction,
    atomically: (fn) => transaction(async () => fn()),
    async close() {
      await queue;
      db.close();
    },
  };
}
