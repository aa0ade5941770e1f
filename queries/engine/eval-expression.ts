import { evalArithmetic, evalNegate } from './arithmetic.ts';
import type { Expr, TabularExpr } from './ast.ts';
import { type Column, gatherColumn, nullColumn, readCell } from './column.ts';
import { evalComparison, evalLogical } from './compare.ts';
import { KqlError, type SourcePos } from './errors.ts';
import { callScalarFunction } from './scalar-functions.ts';
import { evalIn, evalStringOp } from './string-ops.ts';
import { denseColumn, findColumn, type Table } from './table.ts';
import { cellAt, constVal, mapRows, type Val } from './value.ts';

/** What an expression can see: the current rows, let-bound scalars, the clock. */
export interface EvalScope {
  table: Table;
  scalars: ReadonlyMap<string, Val>;
  now: number;
  /** Runs a tabular expression (for `toscalar`). */
  runTabular: (q: TabularExpr) => Table;
}

const ARITH = new Set(['+', '-', '*', '/', '%']);
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=', '=~', '!~']);

/** Evaluates a scalar expression over every row of the scope's table. */
export function evalExpr(e: Expr, s: EvalScope): Val {
  const n = s.table.length;
  switch (e.kind) {
    case 'literal':
      return constVal(e.type, e.value);
    case 'name':
      return evalName(e.name, s, e.pos);
    case 'member':
      return evalMember(e, s);
    case 'call':
      return callScalarFunction(
        e.name,
        e.args.map((a) => evalExpr(a, s)),
        { n, now: s.now, pos: e.pos },
      );
    case 'unary':
      return e.op === '-' ? evalNegate(evalExpr(e.arg, s), e.pos) : evalExpr(e.arg, s);
    case 'binary': {
      const left = evalExpr(e.left, s);
      // A constant side that decides and/or makes the other side irrelevant: skip evaluating it.
      if ((e.op === 'or' || e.op === 'and') && left.konst && left.col.kind === 'bool') {
        const x = left.col.values[0];
        if ((e.op === 'or' && x === 1) || (e.op === 'and' && x === 0)) return left;
      }
      return evalBinary(e.op, left, evalExpr(e.right, s), n, e.pos);
    }
    case 'in':
      return evalIn(
        evalExpr(e.arg, s),
        e.list.map((x) => evalExpr(x, s)),
        e.negated,
        e.caseInsensitive,
        n,
        e.pos,
      );
    case 'between':
      return evalBetween(e, s);
    case 'toscalar': {
      const t = s.runTabular(e.query);
      const first = t.columns[0];
      if (!first) return constVal('dynamic', null);
      return {
        col:
          t.length > 0 ? gatherColumn(denseColumn(first), Int32Array.of(0)) : nullColumn(first.col.type, 1),
        konst: true,
      };
    }
    case 'side':
      throw new KqlError('KQL_UNSUPPORTED_SYNTAX', '$left/$right can only be used in join ... on', e.pos);
    case 'star':
      throw new KqlError('KQL_UNSUPPORTED_SYNTAX', '"*" is not valid here', e.pos);
  }
}

function evalName(name: string, s: EvalScope, pos: SourcePos): Val {
  const tc = findColumn(s.table, name);
  if (tc) return { col: denseColumn(tc), konst: false };
  const v = s.scalars.get(name);
  if (v) return v;
  throw new KqlError('KQL_UNKNOWN_NAME', `Unknown column or variable "${name}"`, pos);
}

function evalBinary(op: string, a: Val, b: Val, n: number, pos: SourcePos): Val {
  if (op === 'and' || op === 'or') return evalLogical(op, a, b, n, pos);
  if (ARITH.has(op)) {
    if (op === '+' && a.col.kind === 'str')
      throw new KqlError('KQL_TYPE', 'Use strcat() to join strings', pos);
    return evalArithmetic(op, a, b, n, pos);
  }
  if (COMPARE.has(op)) return evalComparison(op, a, b, n, pos);
  return evalStringOp(op, a, b, n, pos);
}

function evalBetween(e: Extract<Expr, { kind: 'between' }>, s: EvalScope): Val {
  const n = s.table.length;
  const arg = evalExpr(e.arg, s);
  const low = evalExpr(e.low, s);
  let high = evalExpr(e.high, s);
  // `datetime between (start .. 1h)` means an interval of that length from start.
  if (arg.col.type === 'datetime' && high.col.type === 'timespan')
    high = evalArithmetic('+', low, high, n, e.pos);
  const fused = betweenConstants(arg, low, high, e.negated);
  if (fused) return fused;
  const ge = evalComparison('>=', arg, low, n, e.pos);
  const le = evalComparison('<=', arg, high, n, e.pos);
  const both = evalLogical('and', ge, le, n, e.pos);
  if (!e.negated) return both;
  return callScalarFunction('not', [both], { n, now: s.now, pos: e.pos });
}

/** One pass for a numeric column between two non-null constants (the common time-range filter). */
function betweenConstants(arg: Val, low: Val, high: Val, negated: boolean): Val | null {
  const c = arg.col;
  if (arg.konst || c.kind !== 'num' || !low.konst || !high.konst) return null;
  const lo = cellAt(low, 0);
  const hi = cellAt(high, 0);
  if (typeof lo !== 'number' || typeof hi !== 'number' || low.col.kind !== 'num' || high.col.kind !== 'num')
    return null;
  const v = c.values;
  const out = new Uint8Array(v.length);
  const inside = negated ? 0 : 1;
  for (let i = 0; i < v.length; i++) out[i] = v[i]! >= lo && v[i]! <= hi ? inside : 1 - inside;
  if (c.nulls) for (let i = 0; i < v.length; i++) if (c.nulls[i] === 1) out[i] = 2;
  return { col: { kind: 'bool', type: 'bool', values: out }, konst: false };
}

/** A key of dynamic access: constant (`Properties["x"]`), or per row (`prices[Deployment]`). */
function memberKey(e: Extract<Expr, { kind: 'member' }>, s: EvalScope): string | number | Val {
  const k = evalExpr(e.key, s);
  if (!k.konst) return k;
  const v = cellAt(k, 0);
  if (typeof v !== 'string' && typeof v !== 'number') {
    throw new KqlError('KQL_UNSUPPORTED_SYNTAX', 'Dynamic access needs a string or number key', e.pos);
  }
  return v;
}

function indexInto(x: unknown, key: unknown): unknown {
  if (x === null || typeof x !== 'object' || (typeof key !== 'string' && typeof key !== 'number'))
    return null;
  if (!Object.hasOwn(x, key)) return null;
  return (x as Record<string | number, unknown>)[key] ?? null;
}

/** `Properties["x"]`, `Properties.x`, `arr[0]`: shredded keys are read straight from their column. */
function evalMember(e: Extract<Expr, { kind: 'member' }>, s: EvalScope): Val {
  const key = memberKey(e, s);
  if (e.target.kind === 'name' && typeof key === 'string') {
    const tc = findColumn(s.table, e.target.name);
    if (tc && tc.col.kind === 'dyn') {
      const field = tc.col.fields.get(key);
      if (!field) return { col: nullColumn('dynamic', s.table.length), konst: false };
      return { col: tc.sel ? gatherColumn(field, tc.sel) : field, konst: false };
    }
  }
  const target = evalExpr(e.target, s);
  const c: Column = target.col;
  if (c.kind === 'dyn' && typeof key === 'string') {
    const field = c.fields.get(key);
    return { col: field ?? nullColumn('dynamic', target.konst ? 1 : s.table.length), konst: target.konst };
  }
  if (c.kind !== 'any' && c.kind !== 'dyn') {
    throw new KqlError('KQL_TYPE', `Cannot index into a ${c.type} value; use parse_json() first`, e.pos);
  }
  if (typeof key === 'object') {
    return mapRows([target, key], s.table.length, 'dynamic', ([x, k]) => indexInto(x, k));
  }
  return mapRows([target], s.table.length, 'dynamic', ([x]) => indexInto(x, key));
}

/** Evaluates a constant expression (let values, parameter defaults, `take N`). */
export function evalConstant(e: Expr, s: Omit<EvalScope, 'table'>): unknown {
  const v = evalExpr(e, { ...s, table: { length: 1, columns: [] } });
  return readCell(v.col, 0);
}
