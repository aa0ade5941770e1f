import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { AppError, StoreUnavailableError } from '../../bot/errors.ts';
import type { Repos, Store } from '../store.ts';
import { createAlertRepo } from './alert-repo.ts';
import { createChatMessageRepo, createConsoleMessageRepo } from './chat-message-repo.ts';
import { type Db, isUnavailable, toStoreError, wrapQueryable } from './db.ts';
import { createIncidentRepo } from './incident-repo.ts';
import { migrate } from './migrate.ts';
import { createOutboxRepo } from './outbox-repo.ts';
import { createSilenceRepo } from './silence-repo.ts';
import { withRetries } from './transaction.ts';

const INT8_OID = 20;

export interface PostgresOptions {
  /** e.g. postgresql://bot:secret@db:5432/oncall or postgresql://user@/db?host=/var/run/postgresql */
  connectionString: string;
  /** Connections per replica (default 10). */
  poolSize?: number;
  /** How long a query waits for a connection before the store reports itself unavailable. */
  connectTimeoutMs?: number;
}

function createRepos(db: Db): Repos {
  return {
    alerts: createAlertRepo(db),
    incidents: createIncidentRepo(db),
    silences: createSilenceRepo(db),
    outbox: createOutboxRepo(db),
    chatMessages: createChatMessageRepo(db),
    consoleMessages: createConsoleMessageRepo(db),
  };
}

/** `pg` is loaded on demand so that SQLite deployments do not need it installed. */
async function loadPg(): Promise<typeof pg> {
  try {
    return (await import('pg')).default;
  } catch (err) {
    throw new AppError('PG_DRIVER_MISSING', 'the PostgreSQL store needs the "pg" package', { cause: err });
  }
}

async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    throw toStoreError(err);
  }
}

/**
 * Runs `fn` on one pooled connection inside BEGIN … COMMIT at SERIALIZABLE isolation: concurrent
 * transactions of several replicas behave as if they ran one after another (as SQLite's do), and
 * the one that would break that is aborted and re-run by {@link withRetries}.
 */
async function runTransaction<T>(pool: pg.Pool, fn: (tx: Repos) => Promise<T>): Promise<T> {
  const client = await connect(pool);
  // A checked-out client that loses its server emits 'error'; unheard, that would end the process.
  const ignore = () => undefined;
  client.on('error', ignore);
  const db = wrapQueryable(client);
  let broken: Error | undefined;
  try {
    await db.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    const result = await fn(createRepos(db));
    await db.query('COMMIT');
    return result;
  } catch (err) {
    if (isUnavailable(err)) broken = err instanceof Error ? err : new Error(String(err));
    else await db.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.off('error', ignore);
    // A broken connection is destroyed rather than handed to the next caller.
    client.release(broken);
  }
}

/**
 * The replicated store: any number of bot processes share one PostgreSQL database. Migrations run
 * at open (serialised across replicas); each repo method outside `transaction` is one statement
 * on its own connection.
 *
 * Transaction callbacks may run more than once: a conflict with another replica aborts the
 * attempt and runs the callback again from the start (which is why they must only use the repos).
 */
export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const pg = await loadPg();
  const types = new pg.TypeOverrides();
  // bigint columns hold epoch milliseconds and ids: exact as JS numbers up to 2^53.
  types.setTypeParser(INT8_OID, (text: string) => Number(text));
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    types,
  });
  // Idle connections dropped by the server are replaced on the next checkout.
  pool.on('error', () => undefined);

  try {
    const migrationClient = await connect(pool);
    try {
      await migrate(wrapQueryable(migrationClient));
    } finally {
      migrationClient.release();
    }
  } catch (err) {
    await pool.end();
    throw toStoreError(err);
  }

  const insideTransaction = new AsyncLocalStorage<true>();
  let closed = false;
  return {
    engine: 'postgres',
    ...createRepos(wrapQueryable(pool)),
    transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
      if (insideTransaction.getStore()) {
        return Promise.reject(
          new AppError('NESTED_TRANSACTION', 'a transaction was started inside another one'),
        );
      }
      return insideTransaction.run(true, () => withRetries(() => runTransaction(pool, fn)));
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
      } catch (err) {
        throw new StoreUnavailableError('database unavailable', { cause: err });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
