import type { NumColumn, NumType } from './column.ts';
import { KqlError, type SourcePos } from './errors.ts';
import { compactNulls, newNum, resultLength, type Val } from './value.ts';

const INTEGRAL = new Set<NumType>(['long', 'int']);

/** Result type of an arithmetic operator, or null when the operand types do not combine. */
export function arithmeticType(op: string, a: NumType, b: NumType): NumType | null {
  const num = (t: NumType): boolean => t === 'long' || t === 'int' || t === 'real';
  if (a === 'datetime' && b === 'datetime') return op === '-' ? 'timespan' : null;
  if (a === 'datetime' && b === 'timespan') return op === '+' || op === '-' ? 'datetime' : null;
  if (a === 'timespan' && b === 'datetime') return op === '+' ? 'datetime' : null;
  if (a === 'timespan' && b === 'timespan') {
    if (op === '+' || op === '-' || op === '%') return 'timespan';
    return op === '/' ? 'real' : null;
  }
  if (a === 'timespan' && num(b)) return op === '*' || op === '/' ? 'timespan' : null;
  if (num(a) && b === 'timespan') return op === '*' ? 'timespan' : null;
  if (num(a) && num(b)) {
    if (a === 'real' || b === 'real') return 'real';
    return a === 'long' || b === 'long' ? 'long' : 'int';
  }
  return null;
}

/**
 * Vectorised `+ - * / %` over numeric columns. Integer division truncates and dividing an
 * integer by zero gives null; real division follows IEEE 754 (±∞, NaN).
 */
export function evalArithmetic(op: string, a: Val, b: Val, n: number, pos: SourcePos): Val {
  const ac = a.col;
  const bc = b.col;
  if (ac.kind !== 'num' || bc.kind !== 'num') {
    throw new KqlError(
      'KQL_TYPE',
      `Operator "${op}" needs numeric, datetime or timespan operands, got ${ac.type} and ${bc.type}`,
      pos,
    );
  }
  const type = arithmeticType(op, ac.type, bc.type);
  if (!type) throw new KqlError('KQL_TYPE', `Operator "${op}" cannot combine ${ac.type} and ${bc.type}`, pos);
  const { len, konst } = resultLength([a, b], n);
  const out = newNum(type, len);
  const av = ac.values;
  const bv = bc.values;
  const ak = a.konst ? 0 : 1;
  const bk = b.konst ? 0 : 1;
  const integral = INTEGRAL.has(type) || (INTEGRAL.has(ac.type) && INTEGRAL.has(bc.type) && type !== 'real');
  const o = out.values;
  switch (op) {
    case '+':
      for (let i = 0; i < len; i++) o[i] = av[i * ak]! + bv[i * bk]!;
      break;
    case '-':
      for (let i = 0; i < len; i++) o[i] = av[i * ak]! - bv[i * bk]!;
      break;
    case '*':
      for (let i = 0; i < len; i++) o[i] = av[i * ak]! * bv[i * bk]!;
      if (INTEGRAL.has(type)) for (let i = 0; i < len; i++) o[i] = Math.trunc(o[i]!);
      break;
    case '/':
    case '%':
      for (let i = 0; i < len; i++) {
        const x = av[i * ak]!;
        const y = bv[i * bk]!;
        if (integral && y === 0) out.nulls[i] = 1;
        else if (op === '%') o[i] = x % y;
        else o[i] = integral ? Math.trunc(x / y) : x / y;
      }
      break;
    default:
      throw new KqlError('KQL_UNSUPPORTED_OPERATOR', `Operator "${op}" is not supported`, pos);
  }
  mergeNulls(out, ac, ak, len);
  mergeNulls(out, bc, bk, len);
  return { col: compactNulls(out), konst };
}

function mergeNulls(out: { nulls: Uint8Array | null }, src: NumColumn, step: number, len: number): void {
  const m = src.nulls;
  if (!m || !out.nulls) return;
  for (let i = 0; i < len; i++) if (m[i * step] === 1) out.nulls[i] = 1;
}

/** Unary minus. */
export function evalNegate(a: Val, pos: SourcePos): Val {
  if (a.col.kind !== 'num')
    throw new KqlError('KQL_TYPE', `Unary "-" needs a number, got ${a.col.type}`, pos);
  const src = a.col;
  const values = new Float64Array(src.values.length);
  for (let i = 0; i < values.length; i++) values[i] = -src.values[i]!;
  return { col: { kind: 'num', type: src.type, values, nulls: src.nulls }, konst: a.konst };
}
