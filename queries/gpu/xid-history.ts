import type { XidSighting } from '../../core/gpu/read-xids.ts';
import type { RangeSeries } from '../backends/metrics-backend.ts';
import { nodeOf } from './metric-names.ts';

/** Which GPU a series is about: `node-3 GPU 5`. */
function gpuKey(labels: Readonly<Record<string, string>>): string | undefined {
  const node = nodeOf(labels);
  if (!node || labels.gpu === undefined) return undefined;
  return `${node} GPU ${labels.gpu}`;
}

type Acc = Map<string, Map<number, { at: number; count: number }>>;

function note(acc: Acc, gpu: string, xid: number, at: number, count: number): void {
  const byXid = acc.get(gpu) ?? new Map<number, { at: number; count: number }>();
  const known = byXid.get(xid);
  // Both sources see the same XIDs: keep the earliest sighting and the larger count, never the sum.
  byXid.set(xid, known ? { at: Math.min(known.at, at), count: Math.max(known.count, count) } : { at, count });
  acc.set(gpu, byXid);
}

/**
 * The XIDs each GPU reported over a range, from the exporter's series:
 * - `DCGM_FI_DEV_XID_ERRORS` holds the last XID only, so every change of its value to a non-zero
 *   one is a sighting of that XID (a value already there when the range starts counts at its start);
 *   an XID that came and went between two steps is lost here, which is why
 * - `DCGM_EXP_XID_ERRORS_COUNT{xid="…"}` (where the counters file enables it) adds each XID it
 *   counted, from the first step its count was above zero, with the largest count seen.
 */
export function xidSightingsFromSeries(
  lastXid: readonly RangeSeries[],
  xidCounts: readonly RangeSeries[] = [],
): Map<string, XidSighting[]> {
  const acc: Acc = new Map();
  for (const s of lastXid) {
    const gpu = gpuKey(s.labels);
    if (!gpu) continue;
    let previous = 0;
    // Per XID: when the gauge first switched to it, and how often it did (each switch is one more).
    const switches = new Map<number, { at: number; count: number }>();
    for (const [t, v] of s.points) {
      const xid = Math.round(v);
      if (xid > 0 && xid !== previous) {
        const known = switches.get(xid);
        switches.set(xid, { at: known?.at ?? t, count: (known?.count ?? 0) + 1 });
      }
      previous = xid;
    }
    for (const [xid, { at, count }] of switches) note(acc, gpu, xid, at, count);
  }
  for (const s of xidCounts) {
    const gpu = gpuKey(s.labels);
    const xid = Number(s.labels.xid);
    if (!gpu || !Number.isInteger(xid) || xid <= 0) continue;
    const seen = s.points.filter(([, v]) => v > 0);
    if (seen.length === 0) continue;
    note(acc, gpu, xid, seen[0]![0], Math.max(...seen.map(([, v]) => Math.round(v))));
  }
  const out = new Map<string, XidSighting[]>();
  for (const [gpu, byXid] of acc) {
    out.set(
      gpu,
      [...byXid]
        .map(([xid, { at, count }]) => ({ xid, at, count }))
        .sort((a, b) => a.at - b.at || a.xid - b.xid),
    );
  }
  return out;
}
