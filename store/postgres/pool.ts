import type pg from 'pg';
import { AppError } from '../../core/errors.ts';
import { type Db, isUnavailable, toStoreError, wrapQueryable } from './db.ts';
import { migratePostgres } from './schema.ts';
import { withRetries } from './transaction.ts';

const INT8_OID = 20;

export interface PostgresOptions {
  /** e.g. postgresql://bot:secret@db:5432/oncall or postgresql://user@/db?host=/var/run/postgresql */
  connectionString: string;
  /** Connections per replica (default 10), shared by every module. */
  poolSize?: number;
  /** How long a query waits for a connection before the store reports itself unavailable. */
  connectTimeoutMs?: number;
}

/** `pg` is loaded on demand so that SQLite deployments do not need it installed. */
async function loadPg(): Promise<typeof pg> {
  try {
    return (await import('pg')).default;
  } catch (err) {
    throw new AppError('PG_DRIVER_MISSING', 'the PostgreSQL store needs the "pg" package', { cause: err });
  }
}

/** A connection pool whose bigint columns (epoch milliseconds, ids) come back as JS numbers. */
export async function openPool(options: PostgresOptions): Promise<pg.Pool> {
  const pgModule = await loadPg();
  const types = new pgModule.TypeOverrides();
  // Exact as JS numbers up to 2^53, far beyond any id or millisecond timestamp here.
  types.setTypeParser(INT8_OID, (text: string) => Number(text));
  const pool = new pgModule.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    types,
  });
  // Idle connections dropped by the server are replaced on the next checkout.
  pool.on('error', () => undefined);
  return pool;
}

async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    throw toStoreError(err);
  }
}

/**
 * Runs `fn` on one checked-out connection and hands it back; a connection that broke meanwhile is
 * destroyed rather than given to the next caller. `fn` decides about BEGIN/COMMIT.
 */
async function withClient<T>(pool: pg.Pool, fn: (db: Db, markBroken: (e: Error) => void) => Promise<T>) {
  const client = await connect(pool);
  // A checked-out client that loses its server emits 'error'; unheard, that would end the process.
  const ignore = () => undefined;
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    return await fn(wrapQueryable(client), (e) => (broken = e));
  } finally {
    client.off('error', ignore);
    client.release(broken);
  }
}

/**
 * Runs `fn` inside BEGIN … COMMIT at SERIALIZABLE isolation: concurrent transactions of several
 * replicas behave as if they ran one after another (as SQLite's do), and the one that would break
 * that is aborted and re-run from the start — so `fn` must only touch the database.
 */
export function serializable<T>(pool: pg.Pool, fn: (db: Db) => Promise<T>): Promise<T> {
  return withRetries(() =>
    withClient(pool, async (db, markBroken) => {
      try {
        await db.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const result = await fn(db);
        await db.query('COMMIT');
        return result;
      } catch (err) {
        if (isUnavailable(err)) markBroken(err instanceof Error ? err : new Error(String(err)));
        else await db.query('ROLLBACK').catch((e: Error) => markBroken(e));
        throw err;
      }
    }),
  );
}

// Any constant shared by every replica: pg_advisory_xact_lock takes a bigint key.
const MIGRATION_LOCK_KEY = 7_304_612_918;

/**
 * Applies pending migrations in one transaction under an advisory lock, so replicas starting
 * together queue up: the first applies them, the others find nothing left to do.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  try {
    await withClient(pool, async (db) => {
      await db.query('BEGIN');
      try {
        await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        await migratePostgres(db);
        await db.query('COMMIT');
      } catch (err) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  } catch (err) {
    throw toStoreError(err);
  }
}

/**
 * Opens the store's one pool and brings its schema up to date; the pool is closed again if that
 * fails. Every module's repositories share it.
 */
export async function openMigratedPool(options: PostgresOptions): Promise<pg.Pool> {
  const pool = await openPool(options);
  try {
    await migrate(pool);
    return pool;
  } catch (err) {
    await pool.end();
    throw err;
  }
}
