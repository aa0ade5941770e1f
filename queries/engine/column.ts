import { type Dict, dictAt } from './string-dict.ts';
import type { KqlType } from './types.ts';

/** Numeric storage types; datetimes are epoch ms and timespans are ms, all in a Float64Array. */
export type NumType = 'long' | 'int' | 'real' | 'datetime' | 'timespan';

/** A numeric column. `nulls[i] === 1` marks a null; `step` is set by `bin` to speed up grouping. */
export interface NumColumn {
  kind: 'num';
  type: NumType;
  values: Float64Array;
  nulls: Uint8Array | null;
  step?: number;
}
/** A bool column: 0 false, 1 true, 2 null. */
export interface BoolColumn {
  kind: 'bool';
  type: 'bool';
  values: Uint8Array;
}
/** A dictionary-encoded string column; code -1 is null (only values read from dynamic can be null). */
export interface StrColumn {
  kind: 'str';
  type: 'string';
  codes: Int32Array;
  dict: Dict;
}
/** A dynamic column of property bags, shredded into one typed sub-column per key. */
export interface DynColumn {
  kind: 'dyn';
  type: 'dynamic';
  length: number;
  fields: Map<string, Column>;
  nulls: Uint8Array | null;
}
/** A dynamic column of arbitrary JSON values (arrays, mixed types), held as JS values. */
export interface AnyColumn {
  kind: 'any';
  type: 'dynamic';
  values: unknown[];
}
/** Any column. */
export type Column = NumColumn | BoolColumn | StrColumn | DynColumn | AnyColumn;

/** Number of rows in a column. */
export function columnLength(c: Column): number {
  switch (c.kind) {
    case 'num':
    case 'bool':
      return c.values.length;
    case 'str':
      return c.codes.length;
    case 'dyn':
      return c.length;
    case 'any':
      return c.values.length;
  }
}

/** Reads one cell as a plain JS value (number, boolean, string, object or null). */
export function readCell(c: Column, i: number): unknown {
  switch (c.kind) {
    case 'num':
      return c.nulls?.[i] === 1 ? null : c.values[i]!;
    case 'bool': {
      const v = c.values[i]!;
      return v === 2 ? null : v === 1;
    }
    case 'str': {
      const code = c.codes[i]!;
      return code < 0 ? null : dictAt(c.dict, code);
    }
    case 'dyn': {
      if (c.nulls?.[i] === 1) return null;
      const o: Record<string, unknown> = {};
      for (const [k, f] of c.fields) {
        const v = readCell(f, i);
        if (v !== null && v !== undefined) o[k] = v;
      }
      return o;
    }
    case 'any':
      return c.values[i] ?? null;
  }
}

/** Copies the rows at `idx` into a new dense column. */
export function gatherColumn(c: Column, idx: Int32Array): Column {
  const n = idx.length;
  switch (c.kind) {
    case 'num': {
      const values = new Float64Array(n);
      const src = c.values;
      for (let i = 0; i < n; i++) values[i] = src[idx[i]!]!;
      let nulls: Uint8Array | null = null;
      if (c.nulls) {
        nulls = new Uint8Array(n);
        const sn = c.nulls;
        for (let i = 0; i < n; i++) nulls[i] = sn[idx[i]!]!;
      }
      const out: NumColumn = { kind: 'num', type: c.type, values, nulls };
      if (c.step !== undefined) out.step = c.step;
      return out;
    }
    case 'bool': {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) values[i] = c.values[idx[i]!]!;
      return { kind: 'bool', type: 'bool', values };
    }
    case 'str': {
      const codes = new Int32Array(n);
      const src = c.codes;
      for (let i = 0; i < n; i++) codes[i] = src[idx[i]!]!;
      return { kind: 'str', type: 'string', codes, dict: c.dict };
    }
    case 'dyn': {
      const fields = new Map<string, Column>();
      for (const [k, f] of c.fields) fields.set(k, gatherColumn(f, idx));
      let nulls: Uint8Array | null = null;
      if (c.nulls) {
        nulls = new Uint8Array(n);
        for (let i = 0; i < n; i++) nulls[i] = c.nulls[idx[i]!]!;
      }
      return { kind: 'dyn', type: 'dynamic', length: n, fields, nulls };
    }
    case 'any': {
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) values[i] = c.values[idx[i]!];
      return { kind: 'any', type: 'dynamic', values };
    }
  }
}

/** The declared (result) type of a column. */
export function columnType(c: Column): KqlType {
  return c.type;
}

/** A numeric column filled with nulls. */
export function nullColumn(type: KqlType, n: number): Column {
  if (type === 'string') return { kind: 'str', type: 'string', codes: new Int32Array(n).fill(-1), dict: [] };
  if (type === 'bool') return { kind: 'bool', type: 'bool', values: new Uint8Array(n).fill(2) };
  if (type === 'dynamic') return { kind: 'any', type: 'dynamic', values: new Array<unknown>(n).fill(null) };
  return { kind: 'num', type, values: new Float64Array(n), nulls: new Uint8Array(n).fill(1) };
}

/** Like {@link gatherColumn}, but an index of -1 yields a null cell (outer joins, empty groups). */
export function gatherOrNull(c: Column, idx: Int32Array): Column {
  const safe = idx.map((i) => Math.max(i, 0));
  const g = gatherColumn(c, safe);
  if (idx.indexOf(-1) < 0) return g;
  const missing = (i: number): boolean => idx[i] === -1;
  switch (g.kind) {
    case 'num': {
      const nulls = g.nulls ?? new Uint8Array(idx.length);
      for (let i = 0; i < idx.length; i++) if (missing(i)) nulls[i] = 1;
      return { ...g, nulls };
    }
    case 'bool':
      for (let i = 0; i < idx.length; i++) if (missing(i)) g.values[i] = 2;
      return g;
    case 'str':
      for (let i = 0; i < idx.length; i++) if (missing(i)) g.codes[i] = -1;
      return g;
    case 'any':
      for (let i = 0; i < idx.length; i++) if (missing(i)) g.values[i] = null;
      return g;
    case 'dyn': {
      const nulls = g.nulls ?? new Uint8Array(idx.length);
      for (let i = 0; i < idx.length; i++) if (missing(i)) nulls[i] = 1;
      return { ...g, nulls };
    }
  }
}
