import type { CompiledQuery, RawBuilder } from 'kysely';
import type { QueryBuilder } from './builder.ts';

/** Something that compiles to one statement: any Kysely query, or `sql` text. */
export interface Compilable<R> {
  compile(): CompiledQuery<R>;
}

/** Runs compiled statements on one engine: outside a transaction, or inside the one in progress. */
export interface Executor {
  all<R>(query: Compilable<R>): Promise<R[]>;
  first<R>(query: Compilable<R>): Promise<R | undefined>;
  /** Runs a statement; how many rows it changed (or returned, with RETURNING). */
  run(query: Compilable<unknown>): Promise<number>;
}

/**
 * The store on one engine, as a repository written once sees it: a builder that compiles for the
 * engine, an executor for statements on their own, and atomic units. Code that differs between
 * the engines (a lock, a claim query) branches on `dialect`.
 */
export interface SqlEngine {
  readonly dialect: 'sqlite' | 'postgres';
  readonly qb: QueryBuilder;
  readonly db: Executor;
  /**
   * Runs `fn` as one atomic unit. Inside a store transaction it is part of that transaction;
   * else its own (queued on SQLite; SERIALIZABLE and re-run on conflict on PostgreSQL, so `fn`
   * must only touch the database).
   */
  atomically<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
}

/** `sql` text as a statement of the engine's dialect. */
export function raw<R>(engine: Pick<SqlEngine, 'qb'>, text: RawBuilder<R>): Compilable<R> {
  return { compile: () => text.compile(engine.qb) };
}
