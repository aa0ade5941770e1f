import type { Incident, IncidentTier } from '../../core/alerts/incident.ts';
import type { TimelineEvent } from '../../core/alerts/timeline.ts';
import type { Repos } from '../../core/store.ts';

/** The timeline events MTTA and MTTR are read from. */
export const LIFECYCLE_TYPES = [
  'opened',
  'acknowledged',
  'resolved',
  'resolved-by-hand',
  'flapping',
] as const;

/** How long one incident took to be acknowledged and to be resolved (undefined: not yet). */
export interface IncidentTimes {
  incidentId: number;
  tier: IncidentTier;
  ackMs: number | undefined;
  resolveMs: number | undefined;
}

/**
 * MTTA and MTTR of one incident from its timeline: from its `opened` event to its first
 * acknowledgement (an /unack does not undo that someone answered), and to its last resolution
 * (by its source or by hand) when no flap re-opened it after that. Times are the bot's clock: when
 * the bot learnt of it and when people acted, which is what the on-call response is measured by.
 */
export function incidentTimes(incident: Incident, events: readonly TimelineEvent[]): IncidentTimes {
  const mine = events.filter((e) => e.incidentId === incident.id);
  const opened = mine.find((e) => e.type === 'opened')?.at ?? incident.openedAt;
  const acked = mine.find((e) => e.type === 'acknowledged')?.at;
  const last = mine.filter((e) => e.type !== 'acknowledged' && e.type !== 'opened').at(-1);
  const resolved = last && last.type !== 'flapping' ? last.at : undefined;
  return {
    incidentId: incident.id,
    tier: incident.tier,
    ackMs: acked === undefined ? undefined : acked - opened,
    resolveMs: resolved === undefined || incident.status !== 'resolved' ? undefined : resolved - opened,
  };
}

/** Means over a set of incidents, with how many each mean is over. */
export interface MeanTimes {
  mttaMs: number | undefined;
  mttrMs: number | undefined;
  acknowledged: number;
  resolved: number;
  incidents: number;
}

export function meanTimes(times: readonly IncidentTimes[]): MeanTimes {
  const acks = times.flatMap((t) => (t.ackMs === undefined ? [] : [t.ackMs]));
  const fixes = times.flatMap((t) => (t.resolveMs === undefined ? [] : [t.resolveMs]));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
  return {
    mttaMs: mean(acks),
    mttrMs: mean(fixes),
    acknowledged: acks.length,
    resolved: fixes.length,
    incidents: times.length,
  };
}

/** MTTA and MTTR over all the incidents, and per tier. */
export interface LifecycleReport {
  overall: MeanTimes;
  byTier: Record<IncidentTier, MeanTimes>;
  incidents: IncidentTimes[];
}

/** Reads the incidents' lifecycle events from the timeline and computes MTTA and MTTR. */
export async function lifecycleReport(
  repos: Repos,
  incidents: readonly Incident[],
): Promise<LifecycleReport> {
  const events = await repos.timeline.listOfTypes(
    incidents.map((i) => i.id),
    LIFECYCLE_TYPES,
  );
  const byIncident = new Map<number, TimelineEvent[]>();
  for (const e of events) {
    const list = byIncident.get(e.incidentId);
    if (list) list.push(e);
    else byIncident.set(e.incidentId, [e]);
  }
  const times = incidents.map((i) => incidentTimes(i, byIncident.get(i.id) ?? []));
  const tier = (t: IncidentTier) => meanTimes(times.filter((x) => x.tier === t));
  return {
    overall: meanTimes(times),
    byTier: { P1: tier('P1'), P2: tier('P2'), P3: tier('P3') },
    incidents: times,
  };
}
