import type Database from 'better-sqlite3';
import { sqliteBuilder } from '../sql/builder.ts';
import type { Compilable, Executor, SqlEngine } from '../sql/executor.ts';
import type { SqliteDatabase } from './database.ts';

/** Distinct statements kept prepared; past that the cache starts again (it never is in practice). */
const MAX_PREPARED = 1000;

/**
 * Runs compiled statements on the store's connection, each SQL text prepared once. Inside a
 * transaction they are part of it: the connection has one transaction at a time.
 */
export function sqliteExecutor(db: Database.Database): Executor {
  const prepared = new Map<string, Database.Statement>();
  function statement(query: Compilable<unknown>) {
    const { sql, parameters } = query.compile();
    let s = prepared.get(sql);
    if (!s) {
      if (prepared.size >= MAX_PREPARED) prepared.clear();
      s = db.prepare(sql);
      prepared.set(sql, s);
    }
    return { s, parameters: parameters as unknown[] };
  }
  return {
    async all<R>(query: Compilable<R>) {
      const { s, parameters } = statement(query);
      return s.all(...parameters) as R[];
    },
    async first<R>(query: Compilable<R>) {
      const { s, parameters } = statement(query);
      return s.get(...parameters) as R | undefined;
    },
    async run(query) {
      const { s, parameters } = statement(query);
      return s.reader ? s.all(...parameters).length : s.run(...parameters).changes;
    },
  };
}

/** The store's connection as repositories written once see it; atomic units queue as transactions. */
export function sqliteEngine(
  database: SqliteDatabase,
  db: Executor = sqliteExecutor(database.connection),
): SqlEngine {
  return {
    dialect: 'sqlite',
    qb: sqliteBuilder,
    db,
    atomically: (fn) => database.transaction(() => fn(db)),
  };
}

/** Inside a store transaction: every unit is part of it. */
export function sqliteTxEngine(db: Executor): SqlEngine {
  return { dialect: 'sqlite', qb: sqliteBuilder, db, atomically: (fn) => fn(db) };
}
