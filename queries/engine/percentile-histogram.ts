import { nearestRank, selectKth } from './percentile.ts';

/** Buckets per group: the top 18 bits of an order-preserving key (sign, exponent, 6 mantissa bits). */
const BITS = 18;
const BUCKETS = 1 << BITS;

const SHIFT = 32 - BITS;
const HALF = 1 << (BITS - 1);

/**
 * Bucket of a double from its high 32 bits read as a signed int (small-integer arithmetic only):
 * negatives are flipped so larger magnitudes sort first, positives are offset above them.
 */
function bucketOf(hi: number): number {
  return hi < 0 ? ~hi >> SHIFT : (hi >> SHIFT) + HALF;
}

/**
 * Exact nearest-rank percentiles for a few large groups without moving every value: one pass
 * builds a histogram over the top bits of each value, a second pass copies out only the values in
 * the buckets that hold a requested rank, and quickselect finishes inside those small buckets.
 * Returns one array per percentile; NaN marks an empty group.
 */
export function histogramPercentiles(
  values: Float64Array,
  nulls: Uint8Array | null,
  gids: Int32Array,
  groups: number,
  ps: number[],
): Float64Array[] {
  const n = gids.length;
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const hist = new Int32Array(groups * BUCKETS);
  if (nulls) {
    for (let i = 0; i < n; i++) if (nulls[i] !== 1) hist[gids[i]! * BUCKETS + bucketOf(words[2 * i + 1]!)]!++;
  } else for (let i = 0; i < n; i++) hist[gids[i]! * BUCKETS + bucketOf(words[2 * i + 1]!)]!++;
  const totals = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    let sum = 0;
    for (let b = g * BUCKETS; b < (g + 1) * BUCKETS; b++) sum += hist[b]!;
    totals[g] = sum;
  }
  // For each (group, percentile): the bucket holding the rank and the rank inside that bucket.
  // slot + 1 per (group, bucket); 0 = not a bucket we need. Callers keep groups × ranks < 255.
  const slotOf = new Uint8Array(groups * BUCKETS);
  const slotSizes: number[] = [];
  const wanted: { g: number; p: number; slot: number; within: number }[] = [];
  const order = ps.map((_, k) => k).sort((a, b) => ps[a]! - ps[b]!);
  for (let g = 0; g < groups; g++) {
    const m = totals[g]!;
    if (m === 0) continue;
    const base = g * BUCKETS;
    // One forward walk per group: ranks are visited in increasing order.
    let b = 0;
    let below = 0;
    for (const k of order) {
      const target = nearestRank(ps[k]!, m);
      while (below + hist[base + b]! <= target) {
        below += hist[base + b]!;
        b++;
      }
      const rank = target - below;
      let slot = slotOf[base + b]! - 1;
      if (slot < 0) {
        slot = slotSizes.length;
        slotOf[base + b] = slot + 1;
        slotSizes.push(hist[base + b]!);
      }
      wanted.push({ g, p: k, slot, within: rank });
    }
  }
  const slots = slotSizes.map((s) => new Float64Array(s));
  const fill = new Int32Array(slots.length);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i] === 1) continue;
    const slot = slotOf[gids[i]! * BUCKETS + bucketOf(words[2 * i + 1]!)]! - 1;
    if (slot >= 0) slots[slot]![fill[slot]!++] = values[i]!;
  }
  const out = ps.map(() => new Float64Array(groups).fill(Number.NaN));
  for (const w of wanted) {
    const a = slots[w.slot]!;
    selectKth(a, 0, a.length - 1, w.within);
    out[w.p]![w.g] = a[w.within]!;
  }
  return out;
}
