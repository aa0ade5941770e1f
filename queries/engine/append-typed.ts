type Typed = Uint8Array | Int32Array | Uint32Array | Float64Array;

/**
 * Where the filled part of a buffer that has room to spare ends (bytes). Only the view that ends
 * there may grow into the room: a second append to an older view copies instead, so no view ever
 * sees its rows change.
 */
const filledTo = new WeakMap<ArrayBufferLike, number>();

/** Room kept after a copied buffer: a tenth, so a table gaining rows every minute rarely copies. */
const spare = (n: number) => Math.ceil(n / 10) + 1024;

/**
 * `head` followed by `tail`, as a new view. When `head` is the newest view of a buffer with room
 * after it, `tail` is written there and nothing is copied; otherwise both are copied into a new
 * buffer with room to spare.
 */
export function appendTyped<T extends Typed>(head: T, tail: T): T {
  const make = head.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => T;
  const end = head.byteOffset + head.byteLength;
  const length = head.length + tail.length;
  if (filledTo.get(head.buffer) === end && end + tail.byteLength <= head.buffer.byteLength) {
    const grown = new make(head.buffer, head.byteOffset, length);
    grown.set(tail, head.length);
    filledTo.set(head.buffer, end + tail.byteLength);
    return grown;
  }
  const buffer = new ArrayBuffer((length + spare(length)) * head.BYTES_PER_ELEMENT);
  const copy = new make(buffer, 0, length);
  copy.set(head);
  copy.set(tail, head.length);
  filledTo.set(buffer, copy.byteLength);
  return copy;
}
