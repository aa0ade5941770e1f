import type { BoolColumn, Column } from './column.ts';
import { KqlError, type SourcePos } from './errors.ts';
import { dictAt, dictSize } from './string-dict.ts';
import { cellAt, newBool, resultLength, type Val } from './value.ts';

const ORDERING = new Set(['<', '<=', '>', '>=']);

function cmpNum(op: string, x: number, y: number): boolean {
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

/** Null rule of Kusto: `==` of null and a value is false, `!=` true, null with null (or ordering) null. */
function nullResult(op: string, aNull: boolean, bNull: boolean): number {
  if ((aNull && bNull) || ORDERING.has(op)) return 2;
  return op === '!=' ? 1 : 0;
}

/** Evaluates `== != < <= > >=` (and `=~`, `!~` on strings) column-wise. */
export function evalComparison(op: string, a: Val, b: Val, n: number, pos: SourcePos): Val {
  const ac = a.col;
  const bc = b.col;
  if (ac.kind === 'num' && bc.kind === 'num') return compareNumbers(op, a, b, n);
  if (ac.kind === 'str' && bc.kind === 'str') return compareStrings(op, a, b, n);
  if (ac.kind === 'bool' && bc.kind === 'bool' && (op === '==' || op === '!=')) {
    return compareGeneric(op, a, b, n, (x, y) => x === y);
  }
  if (ac.type === 'dynamic' || bc.type === 'dynamic') {
    return compareGeneric(op, a, b, n, (x, y) => JSON.stringify(x) === JSON.stringify(y));
  }
  throw new KqlError('KQL_TYPE', `Cannot compare ${ac.type} with ${bc.type} using "${op}"`, pos);
}

function compareNumbers(op: string, a: Val, b: Val, n: number): Val {
  const ac = a.col as Extract<Column, { kind: 'num' }>;
  const bc = b.col as Extract<Column, { kind: 'num' }>;
  const { len, konst } = resultLength([a, b], n);
  const out = newBool(len);
  const o = out.values;
  const av = ac.values;
  const bv = bc.values;
  if (b.konst && !a.konst && bc.nulls?.[0] !== 1) {
    const y = bv[0]!;
    // The hot path of filters such as `TimeGenerated > ago(1h)`: one tight loop per operator.
    switch (op) {
      case '>':
        for (let i = 0; i < len; i++) o[i] = av[i]! > y ? 1 : 0;
        break;
      case '>=':
        for (let i = 0; i < len; i++) o[i] = av[i]! >= y ? 1 : 0;
        break;
      case '<':
        for (let i = 0; i < len; i++) o[i] = av[i]! < y ? 1 : 0;
        break;
      case '<=':
        for (let i = 0; i < len; i++) o[i] = av[i]! <= y ? 1 : 0;
        break;
      default:
        for (let i = 0; i < len; i++) o[i] = cmpNum(op, av[i]!, y) ? 1 : 0;
    }
    const an = ac.nulls;
    if (an) for (let i = 0; i < len; i++) if (an[i] === 1) o[i] = nullResult(op, true, false);
    return { col: out, konst };
  }
  const ak = a.konst ? 0 : 1;
  const bk = b.konst ? 0 : 1;
  const an = ac.nulls;
  const bn = bc.nulls;
  for (let i = 0; i < len; i++) {
    const aNull = an !== null && an[i * ak] === 1;
    const bNull = bn !== null && bn[i * bk] === 1;
    o[i] = aNull || bNull ? nullResult(op, aNull, bNull) : cmpNum(op, av[i * ak]!, bv[i * bk]!) ? 1 : 0;
  }
  return { col: out, konst };
}

function compareStrings(op: string, a: Val, b: Val, n: number): Val {
  const ci = op === '=~' || op === '!~';
  const eqOp = op === '=~' ? '==' : op === '!~' ? '!=' : op;
  const norm = (s: string): string => (ci ? s.toLowerCase() : s);
  const test = (x: string, y: string): boolean => {
    const p = norm(x);
    const q = norm(y);
    if (eqOp === '==') return p === q;
    if (eqOp === '!=') return p !== q;
    return cmpNum(eqOp, p < q ? -1 : p > q ? 1 : 0, 0);
  };
  // Kusto strings are never null; a null read from dynamic compares as an empty string.
  if (b.konst && !a.konst) {
    const y = cellAt(b, 0);
    return {
      col: mapDict(a.col as Extract<Column, { kind: 'str' }>, (s) => test(s, (y as string | null) ?? '')),
      konst: false,
    };
  }
  return compareGeneric(
    eqOp,
    a,
    b,
    n,
    (x, y) => test((x as string | null) ?? '', (y as string | null) ?? ''),
    true,
  );
}

/** Applies a predicate once per dictionary entry and maps the codes: the fast path for strings. */
export function mapDict(c: Extract<Column, { kind: 'str' }>, pred: (s: string) => boolean): BoolColumn {
  const size = dictSize(c.dict);
  const table = new Uint8Array(size + 1);
  table[0] = pred('') ? 1 : 0;
  for (let d = 0; d < size; d++) table[d + 1] = pred(dictAt(c.dict, d)) ? 1 : 0;
  const codes = c.codes;
  const out = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i]! + 1]!;
  return { kind: 'bool', type: 'bool', values: out };
}

function compareGeneric(
  op: string,
  a: Val,
  b: Val,
  n: number,
  eq: (x: unknown, y: unknown) => boolean,
  ordered = false,
): Val {
  const { len, konst } = resultLength([a, b], n);
  const out = newBool(len);
  for (let i = 0; i < len; i++) {
    const x = cellAt(a, i);
    const y = cellAt(b, i);
    if (ordered) out.values[i] = eq(x, y) ? 1 : 0;
    else if (x === null || y === null) out.values[i] = nullResult(op, x === null, y === null);
    else out.values[i] = (op === '==') === eq(x, y) ? 1 : 0;
  }
  return { col: out, konst };
}

/** Three-valued `and` / `or` over bool columns (null and false is false; null or true is true). */
export function evalLogical(op: 'and' | 'or', a: Val, b: Val, n: number, pos: SourcePos): Val {
  if (a.col.kind !== 'bool' || b.col.kind !== 'bool') {
    throw new KqlError('KQL_TYPE', `"${op}" needs bool operands, got ${a.col.type} and ${b.col.type}`, pos);
  }
  const { len, konst } = resultLength([a, b], n);
  const out = newBool(len);
  const av = a.col.values;
  const bv = b.col.values;
  const ak = a.konst ? 0 : 1;
  const bk = b.konst ? 0 : 1;
  const o = out.values;
  for (let i = 0; i < len; i++) {
    const x = av[i * ak]!;
    const y = bv[i * bk]!;
    if (op === 'and') o[i] = x === 0 || y === 0 ? 0 : x === 2 || y === 2 ? 2 : 1;
    else o[i] = x === 1 || y === 1 ? 1 : x === 2 || y === 2 ? 2 : 0;
  }
  return { col: out, konst };
}
