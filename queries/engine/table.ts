import { type Column, columnLength, gatherColumn, readCell } from './column.ts';
import { formatDatetime, formatTimespan } from './literals.ts';
import type { KqlType, QueryResult } from './types.ts';

/** A column of a table: base storage plus an optional selection vector (row ids into the base). */
export interface TableColumn {
  name: string;
  col: Column;
  sel: Int32Array | null;
  dense?: Column;
}

/** An in-memory table. Filters compose selection vectors instead of copying every column. */
export interface Table {
  length: number;
  columns: TableColumn[];
}

/** Builds a table from dense columns. */
export function makeTable(columns: { name: string; col: Column }[]): Table {
  const length = columns.length > 0 ? columnLength(columns[0]!.col) : 0;
  return { length, columns: columns.map((c) => ({ name: c.name, col: c.col, sel: null })) };
}

/** Returns the column's rows as a dense column (gathering through the selection once, cached). */
export function denseColumn(tc: TableColumn): Column {
  if (!tc.sel) return tc.col;
  tc.dense ??= gatherColumn(tc.col, tc.sel);
  return tc.dense;
}

/** Finds a column by name. */
export function findColumn(t: Table, name: string): TableColumn | undefined {
  return t.columns.find((c) => c.name === name);
}

/** Keeps the rows whose positions are listed in `idx` (in that order). */
export function selectRows(t: Table, idx: Int32Array): Table {
  const composed = new Map<Int32Array, Int32Array>();
  const columns = t.columns.map((tc): TableColumn => {
    if (!tc.sel) return { name: tc.name, col: tc.col, sel: idx };
    let sel = composed.get(tc.sel);
    if (!sel) {
      sel = new Int32Array(idx.length);
      const base = tc.sel;
      for (let i = 0; i < idx.length; i++) sel[i] = base[idx[i]!]!;
      composed.set(tc.sel, sel);
    }
    return { name: tc.name, col: tc.col, sel };
  });
  return { length: idx.length, columns };
}

/** Replaces or appends a dense column. */
export function withColumn(t: Table, name: string, col: Column): Table {
  const columns = t.columns.filter((c) => c.name !== name);
  const at = t.columns.findIndex((c) => c.name === name);
  const entry: TableColumn = { name, col, sel: null };
  if (at >= 0) columns.splice(at, 0, entry);
  else columns.push(entry);
  return { length: t.length, columns };
}

/** Reads one cell through the selection vector. */
export function readTableCell(tc: TableColumn, row: number): unknown {
  return readCell(tc.col, tc.sel ? tc.sel[row]! : row);
}

function renderCell(type: KqlType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'datetime') return formatDatetime(v as number);
  if (type === 'timespan') return formatTimespan(v as number);
  if (type === 'dynamic') return JSON.stringify(v);
  return v;
}

/**
 * Converts a table to the Log Analytics REST shape: datetimes as ISO text, timespans as
 * `hh:mm:ss`, dynamic values as JSON text (as the service returns them).
 */
export function toQueryResult(t: Table): QueryResult {
  const columns = t.columns.map((c) => ({ name: c.name, type: c.col.type }));
  const rows: unknown[][] = [];
  for (let r = 0; r < t.length; r++) {
    rows.push(t.columns.map((c) => renderCell(c.col.type, readTableCell(c, r))));
  }
  return { columns, rows };
}
