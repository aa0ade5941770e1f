import type { Column } from './column.ts';
import { formatDatetime, formatTimespan, parseDatetimeText, parseTimespanLiteral } from './literals.ts';
import { dictToArray } from './string-dict.ts';
import type { KqlType } from './types.ts';
import { mapRows, type Val } from './value.ts';

/** Renders one value as KQL's tostring() does. */
export function stringOf(v: unknown, type: KqlType): string {
  if (v === null || v === undefined) return '';
  if (type === 'datetime') return formatDatetime(v as number);
  if (type === 'timespan') return formatTimespan(v as number);
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function numberOf(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const x = Number(v.trim());
    return Number.isNaN(x) ? null : x;
  }
  return null;
}

/** Converts a value to a target type (tolong, toint, todouble, tostring, todatetime, totimespan, tobool). */
export function convertVal(v: Val, to: KqlType, n: number): Val {
  const c: Column = v.col;
  if (to === 'string') {
    if (c.kind === 'str') {
      if (c.codes.indexOf(-1) < 0) return v;
      const dict = dictToArray(c.dict);
      const codes = c.codes.map((x) => (x < 0 ? dict.length : x));
      return { col: { kind: 'str', type: 'string', codes, dict: [...dict, ''] }, konst: v.konst };
    }
    return mapRows([v], n, 'string', ([x]) => stringOf(x, c.type));
  }
  if (c.kind === 'num' && (to === 'real' || to === 'long' || to === 'int')) {
    const integral = c.type === 'long' || c.type === 'int';
    const values = to === 'real' || integral ? c.values : truncAll(c.values);
    return { col: { kind: 'num', type: to, values, nulls: c.nulls }, konst: v.konst };
  }
  if (c.kind === 'num' && (to === 'datetime' || to === 'timespan') && c.type === to) return v;
  if (to === 'datetime') {
    return mapRows([v], n, 'datetime', ([x]) => (typeof x === 'string' ? parseDatetimeText(x) : null));
  }
  if (to === 'timespan') {
    return mapRows([v], n, 'timespan', ([x]) => {
      if (typeof x === 'number' && c.kind === 'num' && c.type === 'timespan') return x;
      if (typeof x !== 'string') return null;
      try {
        return parseTimespanLiteral(x, { line: 0, column: 0 });
      } catch {
        return null;
      }
    });
  }
  if (to === 'bool') {
    return mapRows([v], n, 'bool', ([x]) => {
      if (x === null || x === undefined) return null;
      if (typeof x === 'boolean') return x;
      if (typeof x === 'number') return x !== 0;
      const s = String(x).toLowerCase();
      return s === 'true' ? true : s === 'false' ? false : null;
    });
  }
  if (to === 'dynamic') return v;
  return mapRows([v], n, to, ([x]) => {
    const num = numberOf(x);
    return num === null ? null : to === 'real' ? num : Math.trunc(num);
  });
}

function truncAll(src: Float64Array): Float64Array {
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]!);
  return out;
}
