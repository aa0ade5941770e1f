import { buildColumn } from './build-column.ts';
import type { BoolColumn, Column, NumColumn, NumType } from './column.ts';
import { columnLength, readCell } from './column.ts';
import type { KqlType } from './types.ts';

/** An evaluated expression: a column with one value per row, or a constant (length 1) for all rows. */
export interface Val {
  col: Column;
  konst: boolean;
}

/** Wraps a constant value of a type. */
export function constVal(type: KqlType, value: unknown): Val {
  if (type === 'dynamic') return { col: { kind: 'any', type: 'dynamic', values: [value] }, konst: true };
  if (type === 'string' && value === null)
    return { col: { kind: 'str', type, codes: Int32Array.of(-1), dict: [] }, konst: true };
  return { col: buildColumn(type, [value]), konst: true };
}

/** Reads row `i` of a value (row 0 for constants). */
export function cellAt(v: Val, i: number): unknown {
  return readCell(v.col, v.konst ? 0 : i);
}

/** Number of rows a result over these arguments has: 1 when all are constants, else `n`. */
export function resultLength(args: Val[], n: number): { len: number; konst: boolean } {
  const konst = args.every((a) => a.konst);
  return { len: konst ? 1 : n, konst };
}

/** Creates an empty numeric column. */
export function newNum(type: NumType, len: number): NumColumn & { nulls: Uint8Array } {
  return { kind: 'num', type, values: new Float64Array(len), nulls: new Uint8Array(len) };
}

/** Creates an empty bool column. */
export function newBool(len: number): BoolColumn {
  return { kind: 'bool', type: 'bool', values: new Uint8Array(len) };
}

/** Drops an all-zero null mask so later loops can skip it. */
export function compactNulls<T extends NumColumn>(c: T): NumColumn {
  const m = c.nulls;
  if (m && m.indexOf(1) < 0) return { ...c, nulls: null };
  return c;
}

/**
 * Applies `fn` row by row over JS values: the generic (slower) path used by functions that are
 * not on a hot path. The output is built as a typed column of `type`.
 */
export function mapRows(args: Val[], n: number, type: KqlType, fn: (vals: unknown[]) => unknown): Val {
  const { len, konst } = resultLength(args, n);
  const out = new Array<unknown>(len);
  const vals = new Array<unknown>(args.length);
  for (let i = 0; i < len; i++) {
    for (let a = 0; a < args.length; a++) vals[a] = cellAt(args[a]!, i);
    out[i] = fn(vals);
  }
  return { col: buildColumn(type, out), konst };
}

/** Expands a constant to `n` rows (used where a dense column is required). */
export function expandVal(v: Val, n: number): Column {
  if (!v.konst || columnLength(v.col) === n) return v.col;
  const x = readCell(v.col, 0);
  const type = v.col.type;
  if (type === 'dynamic') return { kind: 'any', type, values: new Array<unknown>(n).fill(x) };
  if (v.col.kind === 'str')
    return { kind: 'str', type: 'string', codes: new Int32Array(n).fill(v.col.codes[0]!), dict: v.col.dict };
  return buildColumn(type, new Array<unknown>(n).fill(x));
}

/** True for the numeric storage types. */
export function isNumType(t: KqlType): t is NumType {
  return t === 'long' || t === 'int' || t === 'real' || t === 'datetime' || t === 'timespan';
}
