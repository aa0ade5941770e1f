import type { Column, NumColumn } from './column.ts';
import { mapDict } from './compare.ts';
import { evalConditional } from './conditional.ts';
import { convertVal, stringOf } from './convert.ts';
import { DATETIME_FUNCTIONS } from './datetime-functions.ts';
import { KqlError, type SourcePos } from './errors.ts';
import { dictToArray } from './string-dict.ts';
import { evalExtract } from './string-extract.ts';
import { evalHasAny } from './string-ops.ts';
import type { KqlType } from './types.ts';
import { cellAt, constVal, isNumType, mapRows, newBool, type Val } from './value.ts';

/** What a scalar function sees besides its arguments. */
export interface FnContext {
  n: number;
  now: number;
  pos: SourcePos;
}
type ScalarFn = (args: Val[], ctx: FnContext) => Val;

/** Aggregation names: used outside summarize they are an error, not a silent scalar. */
export const AGGREGATE_NAMES = new Set([
  'count',
  'countif',
  'dcount',
  'dcountif',
  'sum',
  'sumif',
  'avg',
  'avgif',
  'min',
  'max',
  'minif',
  'maxif',
  'percentile',
  'percentiles',
  'make_list',
  'make_set',
  'take_any',
  'any',
  'arg_max',
  'arg_min',
  'stdev',
  'variance',
]);

/** Origin of Kusto's datetime bins: 0001-01-01T00:00:00Z. */
export const BIN_ORIGIN = -62_135_596_800_000;

function arity(name: string, args: Val[], min: number, max: number, pos: SourcePos): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new KqlError('KQL_ARGUMENT', `${name}() takes ${want} argument(s), got ${args.length}`, pos);
  }
}

function needNum(name: string, v: Val, pos: SourcePos): NumColumn {
  if (v.col.kind !== 'num')
    throw new KqlError('KQL_TYPE', `${name}() needs a number, got ${v.col.type}`, pos);
  return v.col;
}

function constNumber(name: string, v: Val, pos: SourcePos): number {
  const x = cellAt(v, 0);
  if (!v.konst || typeof x !== 'number') {
    throw new KqlError('KQL_ARGUMENT', `${name}() needs a constant number or timespan here`, pos);
  }
  return x;
}

/** `bin(x, step)`: rounds down to a multiple of step; datetimes bin from 0001-01-01 like Kusto. */
function evalBin(args: Val[], ctx: FnContext, name: string): Val {
  arity(name, args, 2, 2, ctx.pos);
  const c = needNum(name, args[0]!, ctx.pos);
  const step = constNumber(name, args[1]!, ctx.pos);
  if (step <= 0) throw new KqlError('KQL_ARGUMENT', `${name}() needs a positive bin size`, ctx.pos);
  const origin = c.type === 'datetime' ? BIN_ORIGIN : 0;
  const src = c.values;
  const values = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) values[i] = Math.floor((src[i]! - origin) / step) * step + origin;
  return { col: { kind: 'num', type: c.type, values, nulls: c.nulls, step }, konst: args[0]!.konst };
}

function evalRound(args: Val[], ctx: FnContext): Val {
  arity('round', args, 1, 2, ctx.pos);
  const c = needNum('round', args[0]!, ctx.pos);
  const digits = args[1] ? constNumber('round', args[1], ctx.pos) : 0;
  const f = 10 ** digits;
  const values = c.values.map((x) => (Math.sign(x) * Math.round(Math.abs(x) * f)) / f);
  return {
    col: { kind: 'num', type: c.type === 'real' ? 'real' : c.type, values, nulls: c.nulls },
    konst: args[0]!.konst,
  };
}

function unaryMath(name: string, fn: (x: number) => number): ScalarFn {
  return (args, ctx) => {
    arity(name, args, 1, 1, ctx.pos);
    needNum(name, args[0]!, ctx.pos);
    return mapRows(args, ctx.n, 'real', ([x]) => (x === null ? null : fn(x as number)));
  };
}

function emptiness(name: string, wantEmpty: boolean, nullOnly: boolean): ScalarFn {
  return (args, ctx) => {
    arity(name, args, 1, 1, ctx.pos);
    const v = args[0]!;
    const c: Column = v.col;
    if (c.kind === 'str') {
      const col = mapDict(c, (s) => (nullOnly ? false : s === '') === wantEmpty);
      if (c.codes.indexOf(-1) >= 0)
        for (let i = 0; i < c.codes.length; i++) if (c.codes[i] === -1) col.values[i] = wantEmpty ? 1 : 0;
      return { col, konst: v.konst };
    }
    const len = v.konst ? 1 : ctx.n;
    const out = newBool(len);
    for (let i = 0; i < len; i++) {
      const x = cellAt(v, i);
      const empty = x === null || x === undefined || (!nullOnly && x === '');
      out.values[i] = empty === wantEmpty ? 1 : 0;
    }
    return { col: out, konst: v.konst };
  };
}

function caseFold(name: string, upper: boolean): ScalarFn {
  return (args, ctx) => {
    arity(name, args, 1, 1, ctx.pos);
    const c = args[0]!.col;
    if (c.kind !== 'str') throw new KqlError('KQL_TYPE', `${name}() needs a string, got ${c.type}`, ctx.pos);
    const dict = dictToArray(c.dict).map((s) => (upper ? s.toUpperCase() : s.toLowerCase()));
    return { col: { kind: 'str', type: 'string', codes: c.codes, dict }, konst: args[0]!.konst };
  };
}

function converter(name: string, to: KqlType): ScalarFn {
  return (args, ctx) => {
    arity(name, args, 1, 1, ctx.pos);
    return convertVal(args[0]!, to, ctx.n);
  };
}

const FUNCTIONS: Record<string, ScalarFn> = {
  now: (args, ctx) => {
    arity('now', args, 0, 1, ctx.pos);
    return constVal('datetime', ctx.now + (args[0] ? constNumber('now', args[0], ctx.pos) : 0));
  },
  ago: (args, ctx) => {
    arity('ago', args, 1, 1, ctx.pos);
    return constVal('datetime', ctx.now - constNumber('ago', args[0]!, ctx.pos));
  },
  bin: (args, ctx) => evalBin(args, ctx, 'bin'),
  floor: (args, ctx) => evalBin(args, ctx, 'floor'),
  round: evalRound,
  abs: (args, ctx) => {
    arity('abs', args, 1, 1, ctx.pos);
    const c = needNum('abs', args[0]!, ctx.pos);
    return { col: { ...c, values: c.values.map(Math.abs) }, konst: args[0]!.konst };
  },
  sqrt: unaryMath('sqrt', Math.sqrt),
  log: unaryMath('log', Math.log),
  log10: unaryMath('log10', Math.log10),
  exp: unaryMath('exp', Math.exp),
  ceiling: unaryMath('ceiling', Math.ceil),
  pow: (args, ctx) => {
    arity('pow', args, 2, 2, ctx.pos);
    return mapRows(args, ctx.n, 'real', ([x, y]) =>
      x === null || y === null ? null : (x as number) ** (y as number),
    );
  },
  toint: converter('toint', 'int'),
  tolong: converter('tolong', 'long'),
  todouble: converter('todouble', 'real'),
  toreal: converter('toreal', 'real'),
  tostring: converter('tostring', 'string'),
  todatetime: converter('todatetime', 'datetime'),
  totimespan: converter('totimespan', 'timespan'),
  tobool: converter('tobool', 'bool'),
  toboolean: converter('toboolean', 'bool'),
  todynamic: converter('todynamic', 'dynamic'),
  parse_json: (args, ctx) => {
    arity('parse_json', args, 1, 1, ctx.pos);
    return mapRows(args, ctx.n, 'dynamic', ([x]) => {
      if (typeof x !== 'string') return x;
      try {
        return JSON.parse(x);
      } catch {
        return x;
      }
    });
  },
  iff: (args, ctx) => evalConditional('iff', args, ctx.n, ctx.pos),
  iif: (args, ctx) => evalConditional('iif', args, ctx.n, ctx.pos),
  case: (args, ctx) => evalConditional('case', args, ctx.n, ctx.pos),
  isempty: emptiness('isempty', true, false),
  isnotempty: emptiness('isnotempty', false, false),
  isnull: emptiness('isnull', true, true),
  isnotnull: emptiness('isnotnull', false, true),
  strcat: (args, ctx) => {
    if (args.length < 1) arity('strcat', args, 1, 64, ctx.pos);
    return mapRows(args, ctx.n, 'string', (vals) =>
      vals.map((x, i) => stringOf(x, args[i]!.col.type)).join(''),
    );
  },
  strlen: (args, ctx) => {
    arity('strlen', args, 1, 1, ctx.pos);
    return mapRows(args, ctx.n, 'long', ([x]) => [...((x as string | null) ?? '')].length);
  },
  substring: (args, ctx) => {
    arity('substring', args, 2, 3, ctx.pos);
    return mapRows(args, ctx.n, 'string', ([s, from, len]) => {
      const chars = [...stringOf(s, args[0]!.col.type)];
      const start = Math.max(0, (from as number | null) ?? 0);
      return chars
        .slice(start, len === undefined || len === null ? undefined : start + (len as number))
        .join('');
    });
  },
  extract: (args, ctx) => evalExtract(args, ctx.pos),
  tolower: caseFold('tolower', false),
  toupper: caseFold('toupper', true),
  not: (args, ctx) => {
    arity('not', args, 1, 1, ctx.pos);
    const c = args[0]!.col;
    if (c.kind !== 'bool') throw new KqlError('KQL_TYPE', `not() needs a bool, got ${c.type}`, ctx.pos);
    const values = new Uint8Array(c.values.length);
    for (let i = 0; i < values.length; i++) values[i] = c.values[i] === 2 ? 2 : 1 - c.values[i]!;
    return { col: { kind: 'bool', type: 'bool', values }, konst: args[0]!.konst };
  },
  coalesce: (args, ctx) => {
    arity('coalesce', args, 1, 64, ctx.pos);
    return mapRows(
      args,
      ctx.n,
      args[0]!.col.type,
      (vals) => vals.find((x) => x !== null && x !== '') ?? null,
    );
  },
  max_of: (args, ctx) => extremeOf('max_of', args, ctx, Math.max),
  min_of: (args, ctx) => extremeOf('min_of', args, ctx, Math.min),
  startofday: (args, ctx) => {
    arity('startofday', args, 1, 1, ctx.pos);
    needNum('startofday', args[0]!, ctx.pos);
    return mapRows(args, ctx.n, 'datetime', ([x]) =>
      x === null ? null : Math.floor((x as number) / 86_400_000) * 86_400_000,
    );
  },
  has_any: (args, ctx) => {
    arity('has_any', args, 2, 64, ctx.pos);
    const [arg, ...list] = args;
    return evalHasAny(arg!, list, ctx.pos);
  },
  array_length: (args, ctx) => {
    arity('array_length', args, 1, 1, ctx.pos);
    return mapRows(args, ctx.n, 'long', ([x]) => (Array.isArray(x) ? x.length : null));
  },
};

function extremeOf(name: string, args: Val[], ctx: FnContext, pick: (...xs: number[]) => number): Val {
  arity(name, args, 1, 64, ctx.pos);
  const type = args[0]!.col.type;
  if (!isNumType(type)) throw new KqlError('KQL_TYPE', `${name}() needs numbers`, ctx.pos);
  return mapRows(args, ctx.n, type, (vals) => {
    const xs = vals.filter((x): x is number => typeof x === 'number');
    return xs.length === 0 ? null : pick(...xs);
  });
}

/** Calls a scalar function by name, or fails naming the unsupported function and its position. */
export function callScalarFunction(name: string, args: Val[], ctx: FnContext): Val {
  const fn = FUNCTIONS[name];
  if (fn) return fn(args, ctx);
  const dt = DATETIME_FUNCTIONS[name];
  if (dt) return dt(args, ctx.n, ctx.pos);
  if (AGGREGATE_NAMES.has(name)) {
    throw new KqlError(
      'KQL_UNSUPPORTED_FUNCTION',
      `Aggregation ${name}() can only be used in summarize`,
      ctx.pos,
    );
  }
  throw new KqlError('KQL_UNSUPPORTED_FUNCTION', `Function ${name}() is not supported`, ctx.pos);
}
