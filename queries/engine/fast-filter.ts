import type { Expr } from './ast.ts';
import { readCell } from './column.ts';
import { type EvalScope, evalExpr } from './eval-expression.ts';
import { findColumn, type Table } from './table.ts';

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** True when an expression reads no column of the table (so it is the same for every row). */
function isConstant(e: Expr, t: Table): boolean {
  switch (e.kind) {
    case 'literal':
      return true;
    case 'name':
      return !findColumn(t, e.name);
    case 'call':
      return e.args.every((a) => isConstant(a, t));
    case 'unary':
      return isConstant(e.arg, t);
    case 'binary':
      return isConstant(e.left, t) && isConstant(e.right, t);
    default:
      return false;
  }
}

function constantNumber(e: Expr, t: Table, scope: EvalScope): number | null {
  if (!isConstant(e, t)) return null;
  const v = evalExpr(e, { ...scope, table: { length: 1, columns: [] } });
  const x = readCell(v.col, 0);
  return v.col.kind === 'num' && typeof x === 'number' ? x : null;
}

interface Range {
  column: string;
  lo: number;
  hi: number;
  loOpen: boolean;
  hiOpen: boolean;
  negated: boolean;
}

function rangeOf(e: Expr, t: Table, scope: EvalScope): Range | null {
  if (e.kind === 'binary' && FLIP[e.op]) {
    let op = e.op;
    let col = e.left;
    let other = e.right;
    if (col.kind !== 'name') {
      op = FLIP[op]!;
      col = e.right;
      other = e.left;
    }
    if (col.kind !== 'name') return null;
    const x = constantNumber(other, t, scope);
    if (x === null) return null;
    const r: Range = {
      column: col.name,
      lo: -Infinity,
      hi: Infinity,
      loOpen: false,
      hiOpen: false,
      negated: false,
    };
    if (op === '>' || op === '>=') Object.assign(r, { lo: x, loOpen: op === '>' });
    else Object.assign(r, { hi: x, hiOpen: op === '<' });
    return r;
  }
  if (e.kind === 'between' && e.arg.kind === 'name') {
    const lo = constantNumber(e.low, t, scope);
    let hi = constantNumber(e.high, t, scope);
    if (lo === null || hi === null) return null;
    const tc = findColumn(t, e.arg.name);
    if (
      tc?.col.type === 'datetime' &&
      evalExpr(e.high, { ...scope, table: { length: 1, columns: [] } }).col.type === 'timespan'
    ) {
      hi += lo;
    }
    return { column: e.arg.name, lo, hi, loOpen: false, hiOpen: false, negated: e.negated };
  }
  return null;
}

/**
 * Row positions matching a range predicate on a numeric column (`col > ago(1h)`,
 * `col between (a .. b)`), computed in one pass through the selection vector without building a
 * bool mask. Returns null when every row matches, and undefined when the predicate has another
 * shape (the general path handles it).
 */
export function filterByRange(t: Table, e: Expr, scope: EvalScope): Int32Array | null | undefined {
  const r = rangeOf(e, t, scope);
  if (!r) return undefined;
  const tc = findColumn(t, r.column);
  if (tc?.col.kind !== 'num') return undefined;
  const { values, nulls } = tc.col;
  const sel = tc.sel;
  const n = t.length;
  // Closed bounds only (x > lo is x >= the next double above lo), so the loops stay branch-light.
  const lo = r.loOpen ? nextUp(r.lo) : r.lo;
  const hi = r.hiOpen ? nextDown(r.hi) : r.hi;
  const keepInside = !r.negated;
  // Whole-column bounds decide "all rows" or "no rows" without a scan (any subset shares them).
  const stats = columnStats(values, nulls);
  if (keepInside && !stats.hasNulls && stats.min >= lo && stats.max <= hi) return null;
  if (keepInside && (stats.max < lo || stats.min > hi)) return new Int32Array(0);
  if (!sel && stats.sorted && keepInside) {
    // Time-ordered data (as ingested): the matching rows are one contiguous run.
    const from = lowerBound(values, lo);
    const to = upperBound(values, hi);
    if (to - from === n) return null;
    const out = new Int32Array(Math.max(0, to - from));
    for (let i = 0; i < out.length; i++) out[i] = from + i;
    return out;
  }
  // Count first, then fill an exact-size vector: no oversized allocation when few rows match.
  let k = 0;
  if (!sel && !nulls && keepInside) {
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x >= lo && x <= hi) k++;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const row = sel ? sel[i]! : i;
      if (nulls && nulls[row] === 1) continue;
      const x = values[row]!;
      if (x >= lo && x <= hi ? keepInside : !keepInside) k++;
    }
  }
  if (k === n) return null;
  const out = new Int32Array(k);
  k = 0;
  for (let i = 0; i < n; i++) {
    const row = sel ? sel[i]! : i;
    if (nulls && nulls[row] === 1) continue;
    const x = values[row]!;
    if (x >= lo && x <= hi ? keepInside : !keepInside) out[k++] = i;
  }
  return out;
}

/** First index whose value is >= x in an ascending array. */
function lowerBound(a: Float64Array, x: number): number {
  let l = 0;
  let h = a.length;
  while (l < h) {
    const m = (l + h) >>> 1;
    if (a[m]! < x) l = m + 1;
    else h = m;
  }
  return l;
}

/** First index whose value is > x in an ascending array. */
function upperBound(a: Float64Array, x: number): number {
  let l = 0;
  let h = a.length;
  while (l < h) {
    const m = (l + h) >>> 1;
    if (a[m]! <= x) l = m + 1;
    else h = m;
  }
  return l;
}

interface ColumnStats {
  min: number;
  max: number;
  /** Nulls or NaN present. */
  hasNulls: boolean;
  /** Ascending, without nulls or NaN (e.g. TimeGenerated of data stored in arrival order). */
  sorted: boolean;
}
const STATS = new WeakMap<Float64Array, ColumnStats>();

/** Min/max/order of a column's non-null values, computed once: stored columns are never mutated. */
function columnStats(values: Float64Array, nulls: Uint8Array | null): ColumnStats {
  let s = STATS.get(values);
  if (!s) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let hasNulls = false;
    let sorted = true;
    for (let i = 0; i < values.length; i++) {
      if (nulls && nulls[i] === 1) {
        hasNulls = true;
        continue;
      }
      const x = values[i]!;
      // NaN matches no range: count it with nulls so "all rows match" is never assumed.
      if (Number.isNaN(x)) hasNulls = true;
      if (x < max) sorted = false;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    s = { min, max, hasNulls, sorted: sorted && !hasNulls };
    STATS.set(values, s);
  }
  return s;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The smallest double greater than x (x finite or -Infinity). */
function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] = x > 0 ? i64[0]! + 1n : i64[0]! - 1n;
  return f64[0]!;
}

/** The largest double smaller than x. */
function nextDown(x: number): number {
  return -nextUp(-x);
}
