import type { AnyColumn, Column, DynColumn, NumType, StrColumn } from './column.ts';
import { parseDatetimeText } from './literals.ts';
import { maybePack } from './string-dict.ts';
import type { KqlType } from './types.ts';

/**
 * Builds a dictionary-encoded string column from JS values: null stays null, or with `nullAs`
 * becomes that string (a string column of a table has no nulls, only empty strings).
 */
export function buildStringColumn(values: ArrayLike<unknown>, nullAs?: string): StrColumn {
  const n = values.length;
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? nullAs;
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    let code = index.get(s);
    if (code === undefined) {
      code = dict.length;
      dict.push(s);
      index.set(s, code);
    }
    codes[i] = code;
  }
  return { kind: 'str', type: 'string', codes, dict: maybePack(dict) };
}

function toNumber(v: unknown, type: NumType): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isNaN(v) && type !== 'real' ? null : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    if (type === 'datetime') return parseDatetimeText(v);
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

/**
 * Builds a typed column from JS values. Datetimes accept epoch ms, Date or ISO text; dynamic values
 * that are property bags are shredded into per-key sub-columns.
 */
export function buildColumn(type: KqlType, values: ArrayLike<unknown>): Column {
  const n = values.length;
  switch (type) {
    case 'string':
      return buildStringColumn(values, '');
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        out[i] =
          v === null || v === undefined ? 2 : v === true || v === 'true' || v === 'True' || v === 1 ? 1 : 0;
      }
      return { kind: 'bool', type: 'bool', values: out };
    }
    case 'dynamic':
      return buildDynamicColumn(values);
    default: {
      const out = new Float64Array(n);
      let nulls: Uint8Array | null = null;
      const integral = type === 'long' || type === 'int';
      for (let i = 0; i < n; i++) {
        const v = values[i];
        // The common case first: a finite number needs no conversion.
        if (typeof v === 'number' && Number.isFinite(v)) {
          out[i] = integral ? Math.trunc(v) : v;
          continue;
        }
        let x = toNumber(v, type);
        if (x !== null && integral) x = Math.trunc(x);
        if (x === null) {
          nulls ??= new Uint8Array(n);
          nulls[i] = 1;
        } else out[i] = x;
      }
      return { kind: 'num', type, values: out, nulls };
    }
  }
}

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

/** Infers the narrowest engine type that holds every non-null value. */
export function inferType(values: ArrayLike<unknown>): KqlType {
  let t: KqlType | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const vt: KqlType =
      typeof v === 'number'
        ? Number.isInteger(v)
          ? 'long'
          : 'real'
        : typeof v === 'boolean'
          ? 'bool'
          : typeof v === 'string'
            ? 'string'
            : 'dynamic';
    if (t === null) t = vt;
    else if (t !== vt) {
      if ((t === 'long' && vt === 'real') || (t === 'real' && vt === 'long')) t = 'real';
      else return 'dynamic';
    }
  }
  return t ?? 'dynamic';
}

/** Shreds property bags into typed sub-columns; anything else is kept as JS values. */
export function buildDynamicColumn(input: ArrayLike<unknown>): Column {
  const n = input.length;
  const values = Array.from(input, parseMaybeJson);
  const allBags = values.every((v) => v === null || (typeof v === 'object' && !Array.isArray(v)));
  if (!allBags) return { kind: 'any', type: 'dynamic', values } satisfies AnyColumn;
  const keys = new Set<string>();
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) {
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
    } else for (const k of Object.keys(v as object)) keys.add(k);
  }
  const fields = new Map<string, Column>();
  for (const k of keys) {
    const sub = values.map((v) => (v === null ? null : ((v as Record<string, unknown>)[k] ?? null)));
    const t = inferType(sub);
    fields.set(
      k,
      t === 'dynamic'
        ? buildDynamicColumn(sub)
        : t === 'string'
          ? buildStringColumn(sub)
          : buildColumn(t, sub),
    );
  }
  return { kind: 'dyn', type: 'dynamic', length: n, fields, nulls } satisfies DynColumn;
}
