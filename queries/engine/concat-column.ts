import { appendTyped } from './append-typed.ts';
import {
  type Column,
  columnLength,
  type DynColumn,
  type NumColumn,
  nullColumn,
  type StrColumn,
} from './column.ts';
import { DictIndex } from './dict-index.ts';
import { appendToDict, type Dict, dictAt } from './string-dict.ts';

/**
 * Indexes of the dictionaries that were grown here, so the next append to the same column does not
 * hash its whole dictionary again. An index moves to the grown dictionary and leaves the old one.
 */
const indexes = new WeakMap<Dict, DictIndex>();

function takeIndex(dict: Dict): DictIndex {
  const index = indexes.get(dict) ?? new DictIndex(dict);
  indexes.delete(dict);
  return index;
}

/** Null flags of two parts, or null when neither part has a null. */
function concatNulls(a: Uint8Array | null, aLength: number, b: Uint8Array | null, bLength: number) {
  if (!a && !b) return null;
  return appendTyped(a ?? new Uint8Array(aLength), b ?? new Uint8Array(bLength));
}

function concatNumbers(head: NumColumn, tail: NumColumn): NumColumn | null {
  const widening = new Set([head.type, tail.type]);
  if (head.type !== tail.type && !(widening.size === 2 && widening.has('long') && widening.has('real')))
    return null;
  return {
    kind: 'num',
    type: head.type === tail.type ? head.type : 'real',
    values: appendTyped(head.values, tail.values),
    nulls: concatNulls(head.nulls, head.values.length, tail.nulls, tail.values.length),
  };
}

/** Tail codes are mapped into the head's dictionary, which gains only the strings it lacked. */
function concatStrings(head: StrColumn, tail: StrColumn): StrColumn {
  const index = takeIndex(head.dict);
  const remap = new Int32Array(tail.dict.length);
  const added: string[] = [];
  for (let code = 0; code < tail.dict.length; code++) {
    const s = dictAt(tail.dict, code);
    const known = index.lookup(s);
    remap[code] = known >= 0 ? known : head.dict.length + added.push(s) - 1;
  }
  const dict = appendToDict(head.dict, added);
  index.extend(dict);
  indexes.set(dict, index);
  const mapped = tail.codes.map((c) => (c < 0 ? -1 : remap[c]!));
  return { kind: 'str', type: 'string', codes: appendTyped(head.codes, mapped), dict };
}

/** A part of a dynamic column where every cell is null: it takes the shape of the other part. */
function allNull(c: Column): boolean {
  if (c.kind === 'dyn')
    return c.fields.size === 0 && (c.length === 0 || c.nulls?.every((x) => x === 1) === true);
  if (c.kind === 'any') return c.values.every((v) => v === null || v === undefined);
  return false;
}

/** Null cells shaped like `like`. */
function nullsLike(like: Column, n: number): Column {
  if (like.kind === 'dyn')
    return { kind: 'dyn', type: 'dynamic', length: n, fields: new Map(), nulls: new Uint8Array(n).fill(1) };
  return nullColumn(like.type, n);
}

function concatBags(head: DynColumn, tail: DynColumn): DynColumn | null {
  const fields = new Map<string, Column>();
  for (const key of new Set([...head.fields.keys(), ...tail.fields.keys()])) {
    const h = head.fields.get(key);
    const t = tail.fields.get(key);
    const joined = concatColumns(h ?? nullsLike(t!, head.length), t ?? nullsLike(h!, tail.length));
    if (!joined) return null;
    fields.set(key, joined);
  }
  return {
    kind: 'dyn',
    type: 'dynamic',
    length: head.length + tail.length,
    fields,
    nulls: concatNulls(head.nulls, head.length, tail.nulls, tail.length),
  };
}

/**
 * The rows of `head` followed by those of `tail`, as one column: how a table gains its newest rows
 * without building the older ones again. Null when the parts' storage cannot be joined (a field
 * that was numbers is now text …): the caller then builds the whole column from its values.
 */
export function concatColumns(head: Column, tail: Column): Column | null {
  if (columnLength(tail) === 0) return head;
  if (columnLength(head) === 0) return tail;
  if (head.kind !== tail.kind) {
    if (allNull(tail)) return concatColumns(head, nullsLike(head, columnLength(tail)));
    if (allNull(head)) return concatColumns(nullsLike(tail, columnLength(head)), tail);
    return null;
  }
  switch (head.kind) {
    case 'num':
      return concatNumbers(head, tail as NumColumn);
    case 'bool':
      return {
        kind: 'bool',
        type: 'bool',
        values: appendTyped(head.values, (tail as typeof head).values),
      };
    case 'str':
      return concatStrings(head, tail as StrColumn);
    case 'dyn':
      return concatBags(head, tail as DynColumn);
    case 'any':
      return { kind: 'any', type: 'dynamic', values: head.values.concat((tail as typeof head).values) };
  }
}
