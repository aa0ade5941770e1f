import { buildColumn } from './build-column.ts';
import { type Column, type NumColumn, readCell } from './column.ts';
import { KqlError, type SourcePos } from './errors.ts';
import type { Grouping } from './group-keys.ts';
import { groupPercentiles } from './percentile.ts';
import { cellAt, expandVal, type Val } from './value.ts';

/** One aggregation call with its arguments already evaluated over the input rows. */
export interface AggInput {
  name: string;
  args: Val[];
  pos: SourcePos;
}

function numArg(a: AggInput, k: number): NumColumn {
  const v = a.args[k];
  if (v?.col.kind !== 'num') {
    throw new KqlError('KQL_TYPE', `${a.name}() needs a numeric argument ${k + 1}`, a.pos);
  }
  return v.col;
}

function boolArg(a: AggInput, k: number, n: number): Uint8Array {
  const v = a.args[k];
  if (v?.col.kind !== 'bool') throw new KqlError('KQL_TYPE', `${a.name}() needs a bool predicate`, a.pos);
  const c = expandVal(v, n);
  return (c as Extract<Column, { kind: 'bool' }>).values;
}

function numColumn(type: NumColumn['type'], values: Float64Array, empty: Uint8Array | null): NumColumn {
  return { kind: 'num', type, values, nulls: empty && empty.indexOf(1) >= 0 ? empty : null };
}

function expectArgs(a: AggInput, min: number, max: number): void {
  if (a.args.length < min || a.args.length > max) {
    throw new KqlError(
      'KQL_ARGUMENT',
      `${a.name}() takes ${min}..${max} argument(s), got ${a.args.length}`,
      a.pos,
    );
  }
}

/** Sum/avg/min/max over non-null values, optionally filtered by a predicate (the *if variants). */
function reduce(
  a: AggInput,
  g: Grouping,
  n: number,
  kind: 'sum' | 'avg' | 'min' | 'max',
  pred: Uint8Array | null,
): Column {
  const c = numArg(a, 0);
  if (c.type === 'datetime' && (kind === 'sum' || kind === 'avg')) {
    throw new KqlError('KQL_TYPE', `${a.name}() cannot add datetimes`, a.pos);
  }
  const vals = expandVal({ col: c, konst: a.args[0]!.konst }, n) as NumColumn;
  const v = vals.values;
  const nulls = vals.nulls;
  const G = g.count;
  const gids = g.gids;
  const acc = new Float64Array(G);
  const cnt = new Float64Array(G);
  if (kind === 'min') acc.fill(Number.POSITIVE_INFINITY);
  if (kind === 'max') acc.fill(Number.NEGATIVE_INFINITY);
  if (!nulls && !pred && (kind === 'sum' || kind === 'avg')) {
    // The common case: no nulls, no predicate — a tight loop without branches per row.
    for (let i = 0; i < n; i++) acc[gids[i]!]! += v[i]!;
    for (let i = 0; i < n; i++) cnt[gids[i]!]!++;
  } else if (nulls && !pred && (kind === 'sum' || kind === 'avg')) {
    for (let i = 0; i < n; i++) {
      if (nulls[i] === 1) continue;
      const gi = gids[i]!;
      acc[gi]! += v[i]!;
      cnt[gi]!++;
    }
  } else
    for (let i = 0; i < n; i++) {
      if ((nulls && nulls[i] === 1) || (pred && pred[i] !== 1)) continue;
      const gi = gids[i]!;
      const x = v[i]!;
      cnt[gi]!++;
      if (kind === 'min') {
        if (x < acc[gi]!) acc[gi] = x;
      } else if (kind === 'max') {
        if (x > acc[gi]!) acc[gi] = x;
      } else acc[gi]! += x;
    }
  const empty = new Uint8Array(G);
  for (let k = 0; k < G; k++) if (cnt[k] === 0) empty[k] = kind === 'sum' ? 0 : 1;
  if (kind === 'avg') {
    for (let k = 0; k < G; k++) acc[k] = cnt[k]! > 0 ? acc[k]! / cnt[k]! : 0;
    return numColumn(c.type === 'timespan' ? 'timespan' : 'real', acc, empty);
  }
  if (kind === 'sum') return numColumn(c.type === 'int' ? 'long' : c.type, acc, null);
  for (let k = 0; k < G; k++) if (empty[k]) acc[k] = 0;
  return numColumn(c.type, acc, empty);
}

function countRows(g: Grouping, n: number, pred: Uint8Array | null): Column {
  const out = new Float64Array(g.count);
  const gids = g.gids;
  if (pred) for (let i = 0; i < n; i++) out[gids[i]!]! += pred[i] === 1 ? 1 : 0;
  else for (let i = 0; i < n; i++) out[gids[i]!]!++;
  return { kind: 'num', type: 'long', values: out, nulls: null };
}

function distinctCount(a: AggInput, g: Grouping, n: number, pred: Uint8Array | null): Column {
  const sets = Array.from({ length: g.count }, () => new Set<unknown>());
  const v = a.args[0]!;
  for (let i = 0; i < n; i++) {
    if (pred && pred[i] !== 1) continue;
    const x = v.col.kind === 'str' ? (v.konst ? v.col.codes[0] : v.col.codes[i]) : cellAt(v, i);
    if (x === null || x === undefined || x === -1) continue;
    sets[g.gids[i]!]!.add(typeof x === 'object' ? JSON.stringify(x) : x);
  }
  return buildColumn(
    'long',
    sets.map((s) => s.size),
  );
}

/** percentile(x, p) / percentiles(x, p1, p2, ...): nearest-rank, one column per p. */
export function computePercentiles(a: AggInput, g: Grouping, n: number): Column[] {
  const c = expandVal(a.args[0]!, n);
  if (c.kind !== 'num') throw new KqlError('KQL_TYPE', `${a.name}() needs a numeric first argument`, a.pos);
  const ps = a.args.slice(1).map((p) => {
    const x = cellAt(p, 0);
    if (!p.konst || typeof x !== 'number' || x < 0 || x > 100) {
      throw new KqlError(
        'KQL_ARGUMENT',
        `${a.name}() percentiles must be constants between 0 and 100`,
        a.pos,
      );
    }
    return x;
  });
  if (ps.length === 0 || (a.name === 'percentile' && ps.length !== 1)) {
    throw new KqlError('KQL_ARGUMENT', `${a.name}() has the wrong number of percentiles`, a.pos);
  }
  return groupPercentiles(c.values, c.nulls, g.gids, g.count, ps).map((values) => {
    const empty = values.map((x) => (Number.isNaN(x) ? 1 : 0));
    const nulls = Uint8Array.from(empty);
    return numColumn(
      c.type,
      values.map((x) => (Number.isNaN(x) ? 0 : x)),
      nulls,
    );
  });
}

function firstValue(a: AggInput, g: Grouping, n: number): Column {
  const v = a.args[0]!;
  const out = new Array<unknown>(g.count).fill(null);
  const set = new Uint8Array(g.count);
  for (let i = 0; i < n; i++) {
    const gi = g.gids[i]!;
    if (set[gi]) continue;
    const x = readCell(v.col, v.konst ? 0 : i);
    if (x === null) continue;
    out[gi] = x;
    set[gi] = 1;
  }
  return buildColumn(v.col.type, out);
}

function collect(a: AggInput, g: Grouping, n: number, unique: boolean): Column {
  const lists = Array.from({ length: g.count }, () => [] as unknown[]);
  const v = a.args[0]!;
  for (let i = 0; i < n; i++) {
    const x = cellAt(v, i);
    if (x !== null) lists[g.gids[i]!]!.push(x);
  }
  return { kind: 'any', type: 'dynamic', values: unique ? lists.map((l) => [...new Set(l)]) : lists };
}

/** Computes one single-column aggregation per group. */
export function computeAggregate(a: AggInput, g: Grouping, n: number): Column {
  switch (a.name) {
    case 'count':
      expectArgs(a, 0, 0);
      return countRows(g, n, null);
    case 'countif':
      expectArgs(a, 1, 1);
      return countRows(g, n, boolArg(a, 0, n));
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      expectArgs(a, 1, 1);
      return reduce(a, g, n, a.name, null);
    case 'sumif':
    case 'avgif':
    case 'minif':
    case 'maxif':
      expectArgs(a, 2, 2);
      return reduce(a, g, n, a.name.slice(0, -2) as 'sum', boolArg(a, 1, n));
    case 'dcount':
      expectArgs(a, 1, 2);
      return distinctCount(a, g, n, null);
    case 'dcountif':
      expectArgs(a, 2, 3);
      return distinctCount(a, g, n, boolArg(a, 1, n));
    case 'percentile':
      expectArgs(a, 2, 2);
      return computePercentiles(a, g, n)[0]!;
    case 'take_any':
    case 'any':
      expectArgs(a, 1, 1);
      return firstValue(a, g, n);
    case 'make_list':
    case 'make_set':
      expectArgs(a, 1, 1);
      return collect(a, g, n, a.name === 'make_set');
    default:
      throw new KqlError('KQL_UNSUPPORTED_FUNCTION', `Aggregation ${a.name}() is not supported`, a.pos);
  }
}
