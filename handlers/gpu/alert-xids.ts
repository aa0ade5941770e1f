import { eccGuidanceSections, xidReadingSections } from '../../cards/templates/xid-reading.ts';
import type { Alert } from '../../core/alerts/alert.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import { xidOfAlert } from '../../core/gpu/alert-xid.ts';
import { readXids, type XidReading, type XidSighting } from '../../core/gpu/read-xids.ts';
import type { Section } from '../../core/message.ts';
import type { StoredAlert } from '../../core/store.ts';

/** Readings shown per card: a node-wide XID storm still leaves room for the chart and the alerts. */
const MAX_GPUS = 3;

function gpuOf(a: Alert): string {
  const node = a.resource.node ?? 'unknown node';
  return a.resource.gpu === undefined ? node : `${node} GPU ${a.resource.gpu}`;
}

/** Each GPU's XID sightings from the incident's alerts (firing or resolved: a resolved XID still came first). */
export function xidSightingsByGpu(alerts: readonly StoredAlert[]): Map<string, XidSighting[]> {
  const out = new Map<string, XidSighting[]>();
  for (const s of alerts) {
    const xid = xidOfAlert(s.alert);
    if (xid === undefined) continue;
    const at = Date.parse(s.alert.startsAt);
    const list = out.get(gpuOf(s.alert)) ?? [];
    // A re-fired alert is one more occurrence of its XID on that GPU.
    list.push({ xid, at: Number.isFinite(at) ? at : s.firstSeenAt, count: 1 + s.refireCount });
    out.set(gpuOf(s.alert), list);
  }
  return out;
}

/** One GPU's XIDs from an incident's alerts, read together. */
export interface GpuXidReading {
  /** `node-3 GPU 5`, as cards name it. */
  who: string;
  node: string | undefined;
  gpu: number | undefined;
  reading: XidReading;
}

function gpuNumber(label: string | undefined): number | undefined {
  const n = label === undefined ? Number.NaN : Number(label);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Per GPU (at most {@link MAX_GPUS}), what the XIDs of an incident's alerts mean together. */
export function xidReadingsByGpu(alerts: readonly StoredAlert[]): GpuXidReading[] {
  const where = new Map(alerts.map((s) => [gpuOf(s.alert), s.alert.resource] as const));
  return [...xidSightingsByGpu(alerts)].slice(0, MAX_GPUS).map(([who, sightings]) => ({
    who,
    node: where.get(who)?.node,
    gpu: gpuNumber(where.get(who)?.gpu),
    reading: readXids(sightings),
  }));
}

/**
 * The XID knowledge on an ECC or XID incident's card: per GPU, what its XIDs mean read together
 * and what to do; an ECC incident without any XID gets the double-bit ECC guidance.
 */
export function xidCardSections(
  incident: Incident,
  alerts: readonly StoredAlert[],
  timeZone: string,
  now: number,
): Section[] {
  if (incident.kind !== 'gpu-xid' && incident.kind !== 'gpu-ecc') return [];
  const time = { timeZone, now };
  const byGpu = [...xidSightingsByGpu(alerts)];
  if (byGpu.length === 0) {
    const ecc = alerts.find((s) => s.alert.kind === 'gpu-ecc');
    return ecc ? eccGuidanceSections(gpuOf(ecc.alert)) : [];
  }
  return byGpu
    .slice(0, MAX_GPUS)
    .flatMap(([who, sightings]) => xidReadingSections(who, readXids(sightings), time));
}
