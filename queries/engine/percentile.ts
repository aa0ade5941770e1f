import { histogramPercentiles } from './percentile-histogram.ts';

/** Partially sorts `a[lo..hi]` so that `a[k]` holds the value it would have if fully sorted. */
export function selectKth(a: Float64Array, lo: number, hi: number, k: number): void {
  let l = lo;
  let h = hi;
  while (h > l) {
    const mid = (l + h) >>> 1;
    // Median of three as pivot keeps sorted and reverse-sorted input linear.
    const x = a[l]!;
    const y = a[mid]!;
    const z = a[h]!;
    const pivot = x < y ? (y < z ? y : Math.max(x, z)) : x < z ? x : Math.max(y, z);
    let i = l;
    let j = h;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) h = j;
    else if (k >= i) l = i;
    else return;
  }
}

/** Nearest-rank index (0-based) of percentile p among m sorted values: ceil(p/100 × m) − 1, at least 0. */
export function nearestRank(p: number, m: number): number {
  return Math.min(m - 1, Math.max(0, Math.ceil((p / 100) * m) - 1));
}

/**
 * Nearest-rank percentiles per group. Values are partitioned by group (counting sort), then each
 * requested rank is found by quickselect on the group's slice: O(n) per percentile, no full sort.
 * Returns one array per percentile; NaN marks an empty group.
 */
export function groupPercentiles(
  values: Float64Array,
  nulls: Uint8Array | null,
  gids: Int32Array,
  groups: number,
  ps: number[],
): Float64Array[] {
  const n = gids.length;
  if (groups <= 16 && groups * ps.length < 255 && n >= 1_000_000)
    return histogramPercentiles(values, nulls, gids, groups, ps);
  const counts = new Int32Array(groups + 1);
  if (nulls) {
    for (let i = 0; i < n; i++) if (nulls[i] !== 1) counts[gids[i]! + 1]!++;
  } else for (let i = 0; i < n; i++) counts[gids[i]! + 1]!++;
  for (let g = 0; g < groups; g++) counts[g + 1]! += counts[g]!;
  const start = counts.slice(0, groups);
  const cursor = counts.slice(0, groups);
  const buf = new Float64Array(counts[groups]!);
  if (nulls) {
    for (let i = 0; i < n; i++) if (nulls[i] !== 1) buf[cursor[gids[i]!]!++] = values[i]!;
  } else if (groups === 1) buf.set(values);
  else {
    for (let i = 0; i < n; i++) {
      const g = gids[i]!;
      const at = cursor[g]!;
      buf[at] = values[i]!;
      cursor[g] = at + 1;
    }
  }
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = ps.map(() => new Float64Array(groups).fill(Number.NaN));
  for (let g = 0; g < groups; g++) {
    const s = start[g]!;
    const e = g + 1 < groups ? start[g + 1]! : buf.length;
    const m = e - s;
    if (m === 0) continue;
    let lo = s;
    for (const { p, i } of order) {
      const k = s + nearestRank(p, m);
      if (k >= lo) {
        selectKth(buf, lo, e - 1, k);
        lo = k;
      }
      out[i]![g] = buf[k]!;
    }
  }
  return out;
}
