import { type Dict, dictAt } from './string-dict.ts';

const encoder = new TextEncoder();

/** FNV-1a over UTF-8 bytes: cheap, and good enough to spread dictionary entries. */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

function hashString(s: string): number {
  const bytes = encoder.encode(s);
  return hashBytes(bytes, 0, bytes.length);
}

/** Entry i's hash, read from a packed dictionary's bytes without decoding them. */
function hashEntry(dict: Dict, i: number): number {
  if (Array.isArray(dict)) return hashString(dict[i]!);
  return hashBytes(dict.bytes, dict.offsets[i]!, dict.offsets[i + 1]!);
}

/**
 * Finds a string's code in a dictionary that only grows: an open-addressing table of codes keyed
 * on the entries' hashes, each hit confirmed against the dictionary. It holds typed arrays only,
 * so a packed dictionary of a million request ids stays off the JS heap, which is why it was packed.
 */
export class DictIndex {
  /** Slot → code + 1 (0 is empty); the size is a power of two, at most half full. */
  private slots = new Int32Array(1024);
  /** Code → its hash, to move the codes when the table grows. */
  private hashes = new Int32Array(1024);
  private size = 0;

  constructor(private dict: Dict) {
    this.indexUpTo(dict);
  }

  /** The code of `s`, or -1. */
  lookup(s: string): number {
    const h = hashString(s);
    const mask = this.slots.length - 1;
    for (let at = h & mask; this.slots[at] !== 0; at = (at + 1) & mask) {
      const code = this.slots[at]! - 1;
      if (this.hashes[code] === h && dictAt(this.dict, code) === s) return code;
    }
    return -1;
  }

  /** Follows the dictionary after entries were appended to it (a new object with the old prefix). */
  extend(grown: Dict): void {
    this.dict = grown;
    this.indexUpTo(grown);
  }

  private indexUpTo(dict: Dict): void {
    if (dict.length * 2 > this.slots.length) this.grow(dict.length * 2);
    if (dict.length > this.hashes.length) {
      const hashes = new Int32Array(Math.max(dict.length, this.hashes.length * 2));
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    for (; this.size < dict.length; this.size++) {
      const h = hashEntry(dict, this.size);
      this.hashes[this.size] = h;
      this.place(this.size, h);
    }
  }

  private place(code: number, h: number): void {
    const mask = this.slots.length - 1;
    let at = h & mask;
    while (this.slots[at] !== 0) at = (at + 1) & mask;
    this.slots[at] = code + 1;
  }

  private grow(atLeast: number): void {
    let n = this.slots.length;
    while (n < atLeast) n *= 2;
    this.slots = new Int32Array(n);
    for (let code = 0; code < this.size; code++) this.place(code, this.hashes[code]!);
  }
}
