import { appendTyped } from './append-typed.ts';

/**
 * String dictionaries. Small ones are JS string arrays; large ones (e.g. request ids, one per row)
 * are packed as UTF-8 bytes with offsets, off the JS heap: millions of small heap strings would
 * make every major garbage collection walk them, which costs more than the queries themselves.
 */
export interface PackedStrings {
  kind: 'packed';
  bytes: Uint8Array;
  /** `offsets[i]..offsets[i+1]` are the bytes of entry i. */
  offsets: Uint32Array;
  length: number;
}

/** A string dictionary: plain array or packed. */
export type Dict = string[] | PackedStrings;

/** Dictionaries above this size are packed by {@link maybePack}. */
export const PACK_THRESHOLD = 65_536;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Number of entries. */
export function dictSize(d: Dict): number {
  return d.length;
}

/** Entry i. */
export function dictAt(d: Dict, i: number): string {
  if (Array.isArray(d)) return d[i]!;
  return decoder.decode(d.bytes.subarray(d.offsets[i]!, d.offsets[i + 1]!));
}

/** All entries as JS strings (only for small dictionaries or one-off work). */
export function dictToArray(d: Dict): string[] {
  if (Array.isArray(d)) return d;
  return Array.from({ length: d.length }, (_, i) => dictAt(d, i));
}

/** Packs `count` strings produced by `get` (called once each, in order) into UTF-8 storage. */
export function packStrings(count: number, get: (i: number) => string): PackedStrings {
  let bytes = new Uint8Array(Math.max(1024, count * 16));
  const offsets = new Uint32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const s = get(i);
    if (bytes.length - at < s.length * 3) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, at + s.length * 3));
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
    at += encoder.encodeInto(s, bytes.subarray(at)).written;
    offsets[i + 1] = at;
  }
  return { kind: 'packed', bytes: bytes.slice(0, at), offsets, length: count };
}

/** Packs a large array dictionary; small ones are returned as they are. */
export function maybePack(d: string[]): Dict {
  return d.length > PACK_THRESHOLD ? packStrings(d.length, (i) => d[i]!) : d;
}

/** A dictionary with `added` after its entries (a new object; the old one is left as it was). */
export function appendToDict(d: Dict, added: readonly string[]): Dict {
  if (added.length === 0) return d;
  if (Array.isArray(d)) return maybePack(d.concat(added));
  const extra = packStrings(added.length, (i) => added[i]!);
  const shifted = extra.offsets.subarray(1).map((o) => o + d.bytes.length);
  return {
    kind: 'packed',
    bytes: appendTyped(d.bytes, extra.bytes),
    offsets: appendTyped(d.offsets, shifted),
    length: d.length + added.length,
  };
}
