import { type Column, type NumColumn, readCell, type StrColumn } from './column.ts';
import { dictSize } from './string-dict.ts';

/** Rows assigned to dense group ids, with the first row of each group (to read key values). */
export interface Grouping {
  /** Per row: its group id, or its slot id when `slots` is set. */
  gids: Int32Array;
  /** Number of ids aggregations must size for (groups, or slots). */
  count: number;
  /** Per output group: its first row (where key values are read). */
  firstRow: Int32Array;
  /**
   * When set, ids are sparse key slots (no renumbering pass over the rows): aggregations run over
   * all `count` slots and the output keeps these non-empty slots, in first-seen order.
   */
  slots: Int32Array | null;
}

/** Key spaces up to this size are aggregated by slot, skipping the renumbering pass. */
const SLOT_LIMIT = 65_536;

function slotGrouping(ids: Int32Array, card: number, n: number): Grouping {
  const first = new Int32Array(card).fill(-1);
  for (let i = 0; i < n; i++) {
    const s = ids[i]!;
    if (first[s]! < 0) first[s] = i;
  }
  const used: number[] = [];
  for (let s = 0; s < card; s++) if (first[s]! >= 0) used.push(s);
  used.sort((a, b) => first[a]! - first[b]!);
  const slots = Int32Array.from(used);
  return { gids: ids, count: card, firstRow: slots.map((s) => first[s]!), slots };
}

interface KeyIds {
  ids: Int32Array;
  card: number;
}

const DIRECT_LIMIT = 1 << 24;

/** A `bin(col, step)` key grouped straight from the column, without materialising the bins. */
export interface BinKey {
  kind: 'bin';
  col: NumColumn;
  /** Rows of `col` to read (a table column's selection vector), or null for all. */
  sel: Int32Array | null;
  step: number;
  origin: number;
}
/** A string column read through a selection vector, grouped by its codes without a gather. */
export interface CodesKey {
  kind: 'codes';
  col: StrColumn;
  sel: Int32Array | null;
}
/** A grouping key: an evaluated column, a bin over a column, or a string column's codes. */
export type GroupKey = Column | BinKey | CodesKey;

/** Base-column row of each key row: `sel[rows[i]]`, or `rows` itself without a selection. */
export function baseRows(sel: Int32Array | null, rows: Int32Array): Int32Array {
  return sel ? rows.map((r) => sel[r]!) : rows;
}

function codesKeyIds(k: CodesKey, n: number): KeyIds {
  const ids = new Int32Array(n);
  const { codes } = k.col;
  const sel = k.sel;
  if (sel) for (let i = 0; i < n; i++) ids[i] = codes[sel[i]!]! + 1;
  else for (let i = 0; i < n; i++) ids[i] = codes[i]! + 1;
  return { ids, card: dictSize(k.col.dict) + 1 };
}

function binKeyIds(k: BinKey, n: number): KeyIds | null {
  const { values: v, nulls } = k.col;
  const sel = k.sel;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const r = sel ? sel[i]! : i;
    if (nulls && nulls[r] === 1) continue;
    const x = v[r]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min === Number.POSITIVE_INFINITY) return { ids: new Int32Array(n), card: 1 };
  const { step, origin } = k;
  const bmin = Math.floor((min - origin) / step);
  const card = Math.floor((max - origin) / step) - bmin + 2;
  if (!(card < DIRECT_LIMIT)) return null;
  const ids = new Int32Array(n);
  const base = bmin - 1;
  for (let i = 0; i < n; i++) {
    const r = sel ? sel[i]! : i;
    ids[i] = nulls && nulls[r] === 1 ? 0 : Math.floor((v[r]! - origin) / step) - base;
  }
  return { ids, card };
}

/** Maps one key column to small integer ids (0 is null) without hashing where the layout allows. */
function keyIds(c: Column, n: number): KeyIds {
  const ids = new Int32Array(n);
  if (c.kind === 'str') {
    for (let i = 0; i < n; i++) ids[i] = c.codes[i]! + 1;
    return { ids, card: dictSize(c.dict) + 1 };
  }
  if (c.kind === 'bool') {
    for (let i = 0; i < n; i++) ids[i] = c.values[i]! === 2 ? 0 : c.values[i]! + 1;
    return { ids, card: 3 };
  }
  if (c.kind === 'num') {
    const v = c.values;
    const nulls = c.nulls;
    const step = c.step ?? 1;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let integral = true;
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i] === 1) continue;
      const x = v[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (min !== Number.POSITIVE_INFINITY && (max - min) / step < DIRECT_LIMIT) {
      for (let i = 0; i < n; i++) {
        if (nulls && nulls[i] === 1) continue;
        const q = (v[i]! - min) / step;
        if (q !== Math.floor(q)) {
          integral = false;
          break;
        }
        ids[i] = q + 1;
      }
      if (integral) return { ids, card: (max - min) / step + 2 };
    }
  }
  const seen = new Map<unknown, number>();
  for (let i = 0; i < n; i++) {
    const raw = readCell(c, i);
    if (raw === null) continue;
    const k = typeof raw === 'object' ? JSON.stringify(raw) : raw;
    let id = seen.get(k);
    if (id === undefined) {
      id = seen.size + 1;
      seen.set(k, id);
    }
    ids[i] = id;
  }
  return { ids, card: seen.size + 1 };
}

/** Renumbers arbitrary non-negative ids to 0..G-1 in first-seen order. */
function densify(ids: Float64Array | Int32Array, card: number, n: number): Grouping {
  const gids = new Int32Array(n);
  const first: number[] = [];
  if (card <= DIRECT_LIMIT) {
    const map = new Int32Array(card).fill(-1);
    for (let i = 0; i < n; i++) {
      const k = ids[i]!;
      let g = map[k]!;
      if (g < 0) {
        g = first.length;
        map[k] = g;
        first.push(i);
      }
      gids[i] = g;
    }
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = ids[i]!;
      let g = map.get(k);
      if (g === undefined) {
        g = first.length;
        map.set(k, g);
        first.push(i);
      }
      gids[i] = g;
    }
  }
  return { gids, count: first.length, firstRow: Int32Array.from(first), slots: null };
}

/** Assigns every row a group id from the combination of its key values. */
export function groupRows(keys: GroupKey[], n: number): Grouping {
  if (keys.length === 0)
    return { gids: new Int32Array(n), count: 1, firstRow: Int32Array.of(0), slots: null };
  let acc: Float64Array | Int32Array = new Int32Array(n);
  let card = 1;
  for (const k of keys) {
    const { ids, card: kc } =
      k.kind === 'codes'
        ? codesKeyIds(k, n)
        : ((k.kind === 'bin' ? binKeyIds(k, n) : null) ?? keyIds(k.kind === 'bin' ? binColumn(k) : k, n));
    if (card === 1) {
      acc = ids;
      card = kc;
    } else if (card * kc < 2 ** 31) {
      const a = acc;
      for (let i = 0; i < n; i++) ids[i] = a[i]! * kc + ids[i]!;
      acc = ids;
      card *= kc;
    } else if (card * kc < 2 ** 52) {
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) next[i] = acc[i]! * kc + ids[i]!;
      acc = next;
      card *= kc;
    } else {
      const g = densify(acc, card, n);
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) next[i] = g.gids[i]! * kc + ids[i]!;
      acc = next;
      card = g.count * kc;
    }
  }
  if (card <= SLOT_LIMIT && acc instanceof Int32Array) return slotGrouping(acc, card, n);
  return densify(acc, card, n);
}

/** Materialises a bin key (the fallback when its range is too wide for direct ids). */
export function binColumn(k: BinKey, keyRows?: Int32Array): NumColumn {
  const src = k.col.values;
  const rows = keyRows ? baseRows(k.sel, keyRows) : k.sel;
  const n = rows ? rows.length : src.length;
  const values = new Float64Array(n);
  const nulls = k.col.nulls ? new Uint8Array(n) : null;
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i]! : i;
    values[i] = Math.floor((src[r]! - k.origin) / k.step) * k.step + k.origin;
    if (nulls && k.col.nulls) nulls[i] = k.col.nulls[r]!;
  }
  return { kind: 'num', type: k.col.type, values, nulls, step: k.step };
}
