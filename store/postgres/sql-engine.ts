import type pg from 'pg';
import { postgresBuilder } from '../sql/builder.ts';
import type { Compilable, Executor, SqlEngine } from '../sql/executor.ts';
import { type Db, wrapQueryable } from './db.ts';
import { serializable } from './pool.ts';

/** Runs compiled statements on a pool or on the connection of a transaction. */
export function postgresExecutor(db: Db): Executor {
  const exec = <R>(query: Compilable<R>) => {
    const { sql, parameters } = query.compile();
    return db.execute<R>(sql, parameters);
  };
  return {
    all: async (query) => (await exec(query)).rows,
    first: async (query) => (await exec(query)).rows[0],
    run: async (query) => (await exec(query)).rowCount,
  };
}

/** The pool as repositories written once see it; each atomic unit is one SERIALIZABLE transaction. */
export function postgresEngine(pool: pg.Pool): SqlEngine {
  return {
    dialect: 'postgres',
    qb: postgresBuilder,
    db: postgresExecutor(wrapQueryable(pool)),
    atomically: (fn) => serializable(pool, (db) => fn(postgresExecutor(db))),
  };
}

/** Inside a store transaction: every unit is part of it. */
export function postgresTxEngine(db: Db): SqlEngine {
  const tx = postgresExecutor(db);
  return { dialect: 'postgres', qb: postgresBuilder, db: tx, atomically: (fn) => fn(tx) };
}
