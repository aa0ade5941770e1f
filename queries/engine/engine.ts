import { buildColumn } from './build-column.ts';
import type { Column } from './column.ts';
import { concatColumns } from './concat-column.ts';
import { KqlError } from './errors.ts';
import { parseQuery } from './parse-query.ts';
import { runStatements } from './run-query.ts';
import { makeTable, type Table, toQueryResult } from './table.ts';
import type { TableSchema } from './table-schemas.ts';
import type { QueryResult } from './types.ts';

/** Options of the engine: the clock behind `now()` and `ago()` is injected, never read from the OS. */
export interface KqlEngineOptions {
  now: () => number;
}

/**
 * A local KQL engine over in-memory columnar tables. It parses and runs KQL text as written
 * (the vetted `.kql` files), and fails with a coded, positioned {@link KqlError} on anything it
 * does not support.
 */
export class KqlEngine {
  private readonly tables = new Map<string, Table>();
  constructor(private readonly options: KqlEngineOptions) {}

  /** Registers (or replaces) a table built from typed columns. */
  addTable(name: string, columns: { name: string; col: Column }[]): void {
    this.tables.set(name, makeTable(columns));
  }

  /**
   * Appends rows to a registered table, given as one typed column per table column. False (and the
   * table unchanged) when there is no such table or a column cannot be joined: build it whole then.
   */
  appendColumns(name: string, columns: { name: string; col: Column }[]): boolean {
    const table = this.tables.get(name);
    if (!table || table.columns.length !== columns.length) return false;
    const joined: { name: string; col: Column }[] = [];
    for (const { name: column, col } of columns) {
      const head = table.columns.find((c) => c.name === column);
      const both = head && !head.sel ? concatColumns(head.col, col) : null;
      if (!both) return false;
      joined.push({ name: column, col: both });
    }
    this.addTable(name, joined);
    return true;
  }

  /** Registers a table from row objects, typed by a schema (missing values become null). */
  loadRows(schema: TableSchema, rows: readonly Record<string, unknown>[]): void {
    this.addTable(
      schema.name,
      schema.columns.map((c) => ({
        name: c.name,
        col: buildColumn(
          c.type,
          rows.map((r) => r[c.name] ?? null),
        ),
      })),
    );
  }

  /** Number of rows in a registered table (0 when absent). */
  rowCount(name: string): number {
    return this.tables.get(name)?.length ?? 0;
  }

  /**
   * Runs a query. `params` supplies values for `declare query_parameters(...)`; datetimes and
   * timespans are given in milliseconds.
   */
  run(text: string, params: Readonly<Record<string, unknown>> = {}): QueryResult {
    const ast = parseQuery(text);
    const table = runStatements(ast, { tables: this.tables, now: this.options.now(), params });
    return toQueryResult(table);
  }
}

export { KqlError };
