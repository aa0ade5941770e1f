import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, StoreUnavailableError } from '../../core/errors.ts';
import type { Repos, Store } from '../../core/store.ts';
import { createAlertRepo } from './alert-repo.ts';
import { createChatMessageRepo, createConsoleMessageRepo } from './chat-message-repo.ts';
import { createConversationRepo } from './conversation-repo.ts';
import { createIncidentRepo } from './incident-repo.ts';
import { MIGRATIONS } from './migrations.ts';
import { createOutboxRepo } from './outbox-repo.ts';
import { createSilenceRepo } from './silence-repo.ts';
import { createStormRepo } from './storm-repo.ts';
import { createTimelineRepo } from './timeline-repo.ts';

export interface SqliteOptions {
  /** File path, or ':memory:' for tests. */
  path: string;
  /**
   * NORMAL (default): in WAL mode a commit survives a crash of the process (kill -9), and the
   * database is never corrupted; the last commits may be lost only on power loss or an OS crash.
   * FULL: fsync on every commit, durable across power loss, at a cost in intake throughput.
   */
  synchronous?: 'NORMAL' | 'FULL';
}

/** Applies pending migrations inside one transaction each. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Wraps driver errors so callers can tell "try again later" (503) from bugs. */
function unavailable(err: unknown): never {
  const code = (err as { code?: string }).code ?? '';
  if (/^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL)/.test(code)) {
    throw new StoreUnavailableError(`database unavailable (${code})`, { cause: err });
  }
  throw err;
}

/** The embedded store: one SQLite file in WAL mode, one connection, serialised transactions. */
export function openSqliteStore(options: SqliteOptions): Store {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const repos: Repos = {
    alerts: createAlertRepo(db),
    incidents: createIncidentRepo(db),
    timeline: createTimelineRepo(db),
    silences: createSilenceRepo(db),
    storms: createStormRepo(db),
    outbox: createOutboxRepo(db),
    chatMessages: createChatMessageRepo(db),
    consoleMessages: createConsoleMessageRepo(db),
    conversations: createConversationRepo(db),
  };

  // One connection: transactions must not interleave. A promise chain serialises them, and a
  // transaction started inside another (which would wait for itself forever) fails loudly.
  let queue: Promise<unknown> = Promise.resolve();
  const insideTransaction = new AsyncLocalStorage<true>();
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const heartbeat = db.prepare(
    'INSERT INTO store_heartbeat (id, beat_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at',
  );

  async function runTransaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    try {
      begin.run();
    } catch (err) {
      unavailable(err);
    }
    try {
      const result = await fn(repos);
      commit.run();
      return result;
    } catch (err) {
      if (db.inTransaction) rollback.run();
      return unavailable(err);
    }
  }

  function transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    if (insideTransaction.getStore()) {
      return Promise.reject(
        new AppError('NESTED_TRANSACTION', 'a transaction was started inside another one'),
      );
    }
    const run = queue.then(() => insideTransaction.run(true, () => runTransaction(fn)));
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    engine: 'sqlite',
    ...repos,
    transaction,
    async probeCommit(at) {
      // Queued like any transaction: on the one connection a bare write would join an open one.
      await transaction(async () => {
        heartbeat.run(at);
      });
    },
    async ping() {
      try {
        db.prepare('SELECT 1').get();
      } catch (err) {
        unavailable(err);
      }
    },
    async close() {
      await queue;
      db.close();
    },
  };
}
