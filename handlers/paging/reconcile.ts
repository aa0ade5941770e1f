import type { Incident } from '../../core/alerts/incident.ts';
import { enqueueIncidentCard } from '../../core/outbox/enqueue.ts';
import type { TrackedIncident } from '../../store/paging/paging-repo.ts';
import { buildStateEvent, buildTriggerEvent, type PagerDutyEventBody } from './pagerduty-event.ts';
import type { PagingDeps } from './paging-deps.ts';
import { pagedDetail, recordPaging, whoIsPaged } from './paging-timeline.ts';

/** How far past the highest known id to look for incidents that opened and resolved between ticks. */
const PROBE_GAP = 5;
const MAX_PROBES = 200;
const MAX_OPEN = 1_000;

/**
 * Every incident that may need paging work: the open ones, the ones already tracked and not
 * finished, and new ids past the cursor (an incident can open and resolve between two ticks).
 */
async function findCandidates(deps: PagingDeps): Promise<Map<number, Incident>> {
  const found = new Map<number, Incident>();
  for (const i of await deps.store.incidents.listOpen(MAX_OPEN)) found.set(i.id, i);
  for (const t of await deps.repo.listActive(MAX_OPEN)) {
    if (found.has(t.incidentId)) continue;
    const i = await deps.store.incidents.get(t.incidentId);
    if (i) found.set(i.id, i);
  }
  const cursor = await deps.repo.cursor();
  const highestOpen = Math.max(cursor, ...found.keys());
  let misses = 0;
  for (let id = cursor + 1, probes = 0; probes < MAX_PROBES; id++, probes++) {
    if (found.has(id)) continue;
    const i = await deps.store.incidents.get(id);
    if (i) {
      found.set(id, i);
      misses = 0;
    } else if (id > highestOpen && ++misses >= PROBE_GAP) break;
  }
  return found;
}

function silenced(i: Incident, now: number): boolean {
  return i.silenceId !== null && (i.silencedUntil === null || i.silencedUntil > now);
}

function eventOf(incidentId: number, body: PagerDutyEventBody) {
  return { incidentId, action: body.event_action, body: JSON.stringify(body) };
}

/** Queues the page of an open, unacknowledged P1 and its escalation timer. */
async function page(deps: PagingDeps, incident: Incident, t: TrackedIncident, now: number): Promise<void> {
  const alerts = await deps.store.alerts.listByIncident(incident.id);
  const body = buildTriggerEvent(
    { installId: deps.policy.installId, publicUrl: deps.publicUrl, now },
    incident,
    alerts,
  );
  const queued = await deps.repo.setOnce(
    incident.id,
    t.generation,
    'triggered',
    {
      event: eventOf(incident.id, body),
      timer: { kind: 'escalate', dueAt: now + deps.policy.escalateAfter },
    },
    now,
  );
  if (!queued) return;
  deps.logger.info({ incidentId: incident.id, code: 'PAGING_TRIGGER_QUEUED' }, 'paging on-call');
  const who = await whoIsPaged(deps, now);
  await deps.store.transaction(async (tx) => {
    await recordPaging(deps, tx, incident.id, 'paged', pagedDetail(deps, who, now));
    // The card shows who was paged.
    await enqueueIncidentCard(tx, deps.targets, incident.id, now, { coalesce: true });
  });
  deps.onQueued();
}

/** Brings one incident's paging state up to date; each step happens once however often it runs. */
async function reconcileIncident(deps: PagingDeps, incident: Incident, now: number): Promise<void> {
  const { repo, policy } = deps;
  const track = { incidentId: incident.id, tier: incident.tier, openedAt: incident.openedAt };
  let t: TrackedIncident = await repo.track(track);
  const open = incident.status === 'open';
  const acked = incident.acknowledgedBy !== null;
  if (open && t.flags.resolved) {
    // Flapped back open after resolving: paging starts over (a new PagerDuty incident).
    await repo.reopen(incident.id, t.generation);
    t = await repo.track(track);
  }
  if (open && incident.tier === 'P1' && !acked && !silenced(incident, now)) {
    if (!deps.pagerDuty) {
      // No pager: the chat escalation still comes.
      const from = t.generation > 0 ? now : incident.openedAt;
      await repo.schedule({ incidentId: incident.id, kind: 'escalate', dueAt: from + policy.escalateAfter });
    } else if (!t.flags.triggered) await page(deps, incident, t, now);
  }
  if (open && incident.tier === 'P2' && !acked) {
    const from = t.generation > 0 ? now : incident.openedAt;
    await repo.schedule({ incidentId: incident.id, kind: 'remind', dueAt: from + policy.remindAfter });
  }
  if (acked || !open) await repo.cancelTimers(incident.id);
  if (t.flags.triggered && acked && !t.flags.acked) {
    const body = buildStateEvent('acknowledge', policy.installId, incident.id);
    await repo.setOnce(incident.id, t.generation, 'acked', { event: eventOf(incident.id, body) }, now);
  }
  if (!open) {
    if (!t.flags.resolved) {
      // Marked resolved even if it was never paged, so a re-open is recognised.
      const body = buildStateEvent('resolve', policy.installId, incident.id);
      const event = t.flags.triggered ? eventOf(incident.id, body) : undefined;
      await repo.setOnce(incident.id, t.generation, 'resolved', { event }, now);
    }
    await repo.finish(incident.id);
  }
}

/**
 * Looks at every incident that may need paging work and queues it: triggers, acknowledges and
 * resolves for PagerDuty, escalation and reminder timers. Safe to run on every replica at once.
 */
export async function reconcileIncidents(deps: PagingDeps): Promise<void> {
  const now = deps.clock.now();
  const candidates = await findCandidates(deps);
  for (const incident of [...candidates.values()].sort((a, b) => a.id - b.id)) {
    await reconcileIncident(deps, incident, now);
  }
  if (candidates.size > 0) await deps.repo.advanceCursor(Math.max(...candidates.keys()));
}
