import { resolvedReply } from '../../cards/templates/incident-replies.ts';
import { type Alert, type ParsedAlert, serializeAlert, type Tier } from '../../core/alerts/alert.ts';
import type { AlertPolicy } from '../../core/alerts/alert-policy.ts';
import { type Incident, type IncidentTier, mostUrgentTier } from '../../core/alerts/incident.ts';
import type { Silence } from '../../core/alerts/silence.ts';
import { BOT_ACTOR } from '../../core/alerts/timeline.ts';
import type { Clock } from '../../core/clock.ts';
import {
  type ChannelTarget,
  enqueueIncidentCard,
  enqueueIncidentReply,
  enqueueStormCard,
} from '../../core/outbox/enqueue.ts';
import type { AlertState, Repos, Store, StoredAlert } from '../../core/store.ts';
import { recordAlertEvent } from './alert-timeline.ts';
import { classifyAlert } from './classify.ts';
import { groupKeyFor } from './group-key.ts';
import { applySilence, newIncident, senderTimes } from './incident-from-alert.ts';
import { firingTier } from './incident-tier.ts';
import { foldIntoStorm } from './storm-ingest.ts';

export interface IngestDeps {
  store: Store;
  policy: AlertPolicy;
  targets: readonly ChannelTarget[];
  clock: Clock;
}

export interface IngestResult {
  /** Alerts in the payload. */
  received: number;
  /** Alerts that changed something (new, status change, new content); the rest were re-deliveries. */
  changed: number;
  byTier: Record<Tier, number>;
  /** Incidents whose cards were queued for an update. */
  incidentIds: number[];
  /** Incidents this payload opened: their first cards are due at once. */
  openedIncidentIds: number[];
}

interface Batch {
  tx: Repos;
  now: number;
  policy: AlertPolicy;
  silences: Silence[];
  dirty: Set<number>;
  opened: number[];
  /** Storms whose card this batch changed: each gets one card sync at the end. */
  storms: Set<number>;
  /** Incidents whose most urgent alert resolved: their tier is worked out again when settled. */
  retier: Set<number>;
  /**
   * Working copies of the incidents this batch touches: each is read once and written once, when
   * it is settled, however many of its alerts the batch carries.
   */
  incidents: Map<number, Incident>;
}

async function readIncident(b: Batch, id: number): Promise<Incident | undefined> {
  return b.incidents.get(id) ?? (await b.tx.incidents.get(id));
}

/** The batch's working copy of an incident found by a query, if it has one. */
function current(b: Batch, found: Incident | undefined): Incident | undefined {
  return found && (b.incidents.get(found.id) ?? found);
}

/** Finds (or opens, or re-opens as flapping) the incident a firing alert belongs to. */
async function incidentForFiring(b: Batch, a: Alert, prev: AlertState | undefined): Promise<Incident> {
  const refiredInWindow =
    prev?.status === 'resolved' &&
    prev.resolvedAt !== null &&
    b.now - prev.resolvedAt <= b.policy.flap.window;
  if (prev?.incidentId) {
    const known = await readIncident(b, prev.incidentId);
    if (known && (known.status === 'open' || refiredInWindow)) {
      if (!refiredInWindow) return known;
      // While it was resolved, another alert may have opened a new incident for the group: the
      // flapping alert joins that one (a group has at most one open incident).
      const open =
        known.status === 'open' ? known : current(b, await b.tx.incidents.latestForGroup(known.groupKey));
      const target = open?.status === 'open' ? open : known;
      const flapped: Incident = {
        ...target,
        status: 'open',
        resolvedAt: null,
        endedAt: null,
        flapping: true,
        flapCount: target.flapCount + 1,
      };
      await b.tx.timeline.record({
        incidentId: target.id,
        at: b.now,
        type: 'flapping',
        actor: BOT_ACTOR,
        actorName: null,
        detail: `${a.rule} fired again within the flap window`,
      });
      return flapped;
    }
  }
  const groupKey = groupKeyFor(a, b.policy);
  const latest = current(b, await b.tx.incidents.latestForGroup(groupKey));
  if (latest?.status === 'open') return latest;
  const created = await b.tx.incidents.create(newIncident(a, groupKey, b.now));
  b.opened.push(created.id);
  await b.tx.timeline.record({
    incidentId: created.id,
    at: b.now,
    type: 'opened',
    actor: BOT_ACTOR,
    actorName: null,
    detail: a.rule,
  });
  const stormId = await foldIntoStorm(b.tx, b.policy.storm, created, b.now);
  return { ...created, stormId };
}

async function applyAlert(b: Batch, a: Alert): Promise<boolean> {
  const prev = await b.tx.alerts.getState(a.source, a.fingerprint);
  // The same text as stored means a re-delivery (Alertmanager repeats, Azure retries): count it only.
  if (prev && prev.body === serializeAlert(a)) {
    await b.tx.alerts.touch(a.source, a.fingerprint, b.now);
    return false;
  }
  const stored: StoredAlert = {
    alert: a,
    incidentId: prev?.incidentId ?? null,
    firstSeenAt: prev?.firstSeenAt ?? b.now,
    lastSeenAt: b.now,
    resolvedAt: a.status === 'resolved' ? (prev?.status === 'resolved' ? prev.resolvedAt : b.now) : null,
    refireCount: (prev?.refireCount ?? 0) + (prev?.status === 'resolved' && a.status === 'firing' ? 1 : 0),
    receiveCount: (prev?.receiveCount ?? 0) + 1,
  };
  // Log-only alerts and resolutions of alerts never seen firing are recorded, never shown.
  if (a.tier === 'log' || (a.status === 'resolved' && !prev?.incidentId)) {
    await b.tx.alerts.put(stored);
    return true;
  }
  const openedBefore = b.opened.length;
  let incident =
    a.status === 'firing' ? await incidentForFiring(b, a, prev) : (await readIncident(b, prev!.incidentId!))!;
  if (b.opened.length === openedBefore)
    await recordAlertEvent(b.tx, { alert: a, prev, incident, now: b.now, flapWindow: b.policy.flap.window });
  if (a.status === 'firing') incident = applySilence(incident, a, b.silences);
  // A resolution can only lower the tier when the alert was at the incident's tier.
  if (a.status === 'resolved' && a.tier === incident.tier && b.policy.problems.tierFollows === 'firing')
    b.retier.add(incident.id);
  const escalates =
    a.status === 'firing' &&
    a.tier !== incident.tier &&
    mostUrgentTier(incident.tier, a.tier as IncidentTier) !== incident.tier;
  incident = {
    ...incident,
    tier: mostUrgentTier(incident.tier, a.tier as IncidentTier),
    // A card that escalates is titled after the alert that made it more urgent.
    ...(escalates ? { title: a.summary || a.rule } : {}),
    ...senderTimes(incident, a, b.now),
  };
  b.incidents.set(incident.id, incident);
  await b.tx.alerts.put({ ...stored, incidentId: incident.id });
  b.dirty.add(incident.id);
  return true;
}

/**
 * The storm whose card shows this incident, or null when it has a card of its own. An incident
 * that became urgent enough to be exempt (a P1 alert joined it) leaves its storm and gets a card.
 */
async function stormOf(b: Batch, incident: Incident): Promise<number | null> {
  const stormId = incident.stormId ?? null;
  if (stormId === null || !b.policy.storm.exemptTiers.includes(incident.tier)) return stormId;
  await b.tx.storms.release(incident.id);
  b.incidents.set(incident.id, { ...incident, stormId: null });
  b.storms.add(stormId);
  return null;
}

/** Recomputes an incident's status from its alerts and queues its card (and a resolve note). */
async function settleIncident(b: Batch, targets: readonly ChannelTarget[], id: number): Promise<void> {
  const incident = (await readIncident(b, id))!;
  const counts = await b.tx.alerts.countByStatus(id);
  const allResolved = counts.firing === 0;
  const status = allResolved ? 'resolved' : 'open';
  const worst =
    b.retier.has(id) && !allResolved ? firingTier(await b.tx.alerts.listByIncident(id)) : undefined;
  const tier = worst?.tier ?? incident.tier;
  const title =
    worst && tier !== incident.tier ? worst.lead.alert.summary || worst.lead.alert.rule : incident.title;
  if (tier !== incident.tier) {
    await b.tx.timeline.record({
      incidentId: id,
      at: b.now,
      type: 'tier-changed',
      actor: BOT_ACTOR,
      actorName: null,
      detail: `${incident.tier} → ${tier}: the most urgent firing alert resolved`,
    });
  }
  const settled: Incident = {
    ...incident,
    tier,
    title,
    status,
    resolvedAt: allResolved ? (incident.resolvedAt ?? b.now) : null,
    // An end only means something once every alert has ended.
    endedAt: allResolved ? (incident.endedAt ?? b.now) : null,
    updatedAt: b.now,
    version: incident.version + 1,
  };
  await b.tx.incidents.update(settled);
  // An incident folded into a storm shows on the storm card only: no card, no thread of its own.
  const stormId = await stormOf(b, settled);
  if (stormId !== null) b.storms.add(stormId);
  else await enqueueIncidentCard(b.tx, targets, id, b.now, { coalesce: true });
  if (status === 'resolved' && incident.status === 'open') {
    await b.tx.timeline.record({
      incidentId: id,
      at: b.now,
      type: 'resolved',
      actor: BOT_ACTOR,
      actorName: null,
      detail: '',
    });
    // Once per incident: a flapping incident's later resolutions show on its card, not as more notes.
    if (settled.silenceId === null && stormId === null && settled.flapCount === 0) {
      await enqueueIncidentReply(
        b.tx,
        targets,
        id,
        resolvedReply(settled, counts.firing + counts.resolved),
        b.now,
      );
    }
  }
}

function countTiers(alerts: readonly Alert[]): Record<Tier, number> {
  const byTier: Record<Tier, number> = { P1: 0, P2: 0, P3: 0, log: 0 };
  for (const a of alerts) byTier[a.tier]++;
  return byTier;
}

/**
 * Applies several payloads in one transaction, in order, and settles each touched incident once.
 * Returns one result per payload.
 */
async function applyPayloads(
  deps: IngestDeps,
  tx: Repos,
  payloads: readonly (readonly Alert[])[],
  now: number,
): Promise<IngestResult[]> {
  const batch: Batch = {
    tx,
    now,
    policy: deps.policy,
    silences: await tx.silences.listActive(now),
    dirty: new Set(),
    opened: [],
    storms: new Set(),
    retier: new Set(),
    incidents: new Map(),
  };
  const results: IngestResult[] = [];
  for (const alerts of payloads) {
    const before = new Set(batch.dirty);
    batch.dirty.clear();
    const openedBefore = batch.opened.length;
    let changed = 0;
    for (const a of alerts) if (await applyAlert(batch, a)) changed++;
    results.push({
      received: alerts.length,
      changed,
      byTier: countTiers(alerts),
      incidentIds: [...batch.dirty],
      openedIncidentIds: batch.opened.slice(openedBefore),
    });
    for (const id of before) batch.dirty.add(id);
  }
  for (const id of batch.dirty) await settleIncident(batch, deps.targets, id);
  for (const id of batch.storms) await enqueueStormCard(tx, deps.targets, id, now, { coalesce: true });
  return results;
}

/**
 * The alert spine's one write: classifies a payload's alerts and, in one transaction, stores them,
 * groups them into incidents (dedupe, flap detection, silences) and queues the card syncs. When
 * this resolves, everything is durable; when it throws, nothing was written.
 */
export async function ingestAlerts(deps: IngestDeps, parsed: readonly ParsedAlert[]): Promise<IngestResult> {
  const now = deps.clock.now();
  const alerts = parsed.map((p) => classifyAlert(p, deps.policy));
  const [result] = await deps.store.transaction((tx) => applyPayloads(deps, tx, [alerts], now));
  return result!;
}

/** Payloads waiting for the next group commit. */
interface Waiting {
  alerts: Alert[];
  resolve: (r: IngestResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for intake: payloads that arrive while a commit is in flight are written together
 * in the next one (each still all-or-nothing; when a group fails, its payloads are committed again
 * one by one, so a payload the store refuses fails alone and the others are stored). One commit at a time, one commit per group instead of per request: that
 * lets a single SQLite writer keep up with an alert storm, and keeps a replica's own intake
 * transactions from conflicting with each other on PostgreSQL.
 */
export function createIngestQueue(
  deps: IngestDeps,
  maxGroup = 256,
): (parsed: readonly ParsedAlert[]) => Promise<IngestResult> {
  const waiting: Waiting[] = [];
  let scheduled = false;
  let committing = false;

  async function commit(): Promise<void> {
    scheduled = false;
    if (committing) return; // the commit in flight schedules the next group when it ends
    committing = true;
    const group = waiting.splice(0, maxGroup);
    try {
      await commitGroup(group);
    } catch (err) {
      if (group.length === 1) group[0]!.reject(err);
      // One payload the store refuses must never fail the others: each is retried on its own, so
      // only the one at fault (or all, if the store is down) gets the error.
      else for (const w of group) await commitGroup([w]).catch(w.reject);
    } finally {
      committing = false;
      if (waiting.length > 0) schedule();
    }
  }

  async function commitGroup(group: readonly Waiting[]): Promise<void> {
    const now = deps.clock.now();
    const results = await deps.store.transaction((tx) =>
      applyPayloads(
        deps,
        tx,
        group.map((w) => w.alerts),
        now,
      ),
    );
    for (const [i, w] of group.entries()) w.resolve(results[i]!);
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void commit());
  }

  return (parsed) =>
    new Promise<IngestResult>((resolve, reject) => {
      waiting.push({ alerts: parsed.map((p) => classifyAlert(p, deps.policy)), resolve, reject });
      schedule();
    });
}
