import { textReply } from '../../cards/templates/incident-replies.ts';
import { formatIncidentId, type Incident } from '../../core/alerts/incident.ts';
import { formatDuration } from '../../core/duration.ts';
import { enqueueIncidentCard, enqueueIncidentReply } from '../../core/outbox/enqueue.ts';
import type { SurfaceId } from '../../core/outbox/outbox-entry.ts';
import type { PagingTimer } from '../../store/paging/paging-repo.ts';
import { buildTriggerEvent } from './pagerduty-event.ts';
import type { PagingDeps } from './paging-deps.ts';
import { recordPaging, whoIsPaged } from './paging-timeline.ts';

/** Long enough to queue a few chat messages; a claimer that dies frees its timers after this. */
const LEASE_MS = 60_000;
const BATCH = 50;

function escalationText(deps: PagingDeps, i: Incident, surface: SurfaceId): string {
  const rota = deps.policy.oncall[surface];
  const who = rota ? rota.secondary : 'the secondary on-call';
  const primary = rota ? ` (primary: ${rota.primary})` : '';
  return `${formatIncidentId(i.id)} (P1) is not acknowledged after ${formatDuration(deps.policy.escalateAfter)}${primary}. Escalating to ${who}: please acknowledge.`;
}

function reminderText(deps: PagingDeps, i: Incident, surface: SurfaceId): string {
  const rota = deps.policy.oncall[surface];
  const who = rota ? `${rota.primary}, please` : 'Please';
  return `${formatIncidentId(i.id)} (P2) is still not acknowledged after ${formatDuration(deps.policy.remindAfter)}. ${who} acknowledge it or silence it.`;
}

/** Posts the timer's note in the incident's thread, each platform naming its own on-call. */
async function postNote(deps: PagingDeps, timer: PagingTimer, incident: Incident): Promise<void> {
  const now = deps.clock.now();
  const text = timer.kind === 'escalate' ? escalationText : reminderText;
  const who = await whoIsPaged(deps, now);
  const after = formatDuration(
    timer.kind === 'escalate' ? deps.policy.escalateAfter : deps.policy.remindAfter,
  );
  await deps.store.transaction(async (tx) => {
    // The note and its timeline step commit together; the card shows the escalation.
    if (timer.kind === 'escalate') {
      await recordPaging(
        deps,
        tx,
        incident.id,
        'escalated',
        `not acknowledged after ${after}: escalated to ${who.secondary}`,
      );
      await enqueueIncidentCard(tx, deps.targets, incident.id, now, { coalesce: true });
    } else
      await recordPaging(
        deps,
        tx,
        incident.id,
        'reminded',
        `not acknowledged after ${after}: reminded ${who.primary}`,
      );
    for (const t of deps.targets) {
      await enqueueIncidentReply(
        tx,
        [t],
        incident.id,
        textReply(text(deps, incident, t.surface), 'attention'),
        now,
      );
    }
  });
  deps.onQueued();
}

async function fire(deps: PagingDeps, timer: PagingTimer): Promise<void> {
  const incident = await deps.store.incidents.get(timer.incidentId);
  const stillDue =
    incident?.status === 'open' &&
    incident.acknowledgedBy === null &&
    incident.silenceId === null &&
    incident.tier === (timer.kind === 'escalate' ? 'P1' : 'P2');
  if (!stillDue) {
    await deps.repo.finishTimer(timer, 'cancelled');
    return;
  }
  await postNote(deps, timer, incident);
  if (timer.kind === 'escalate' && deps.pagerDuty) {
    const alerts = await deps.store.alerts.listByIncident(incident.id);
    const tracked = await deps.repo.track({
      incidentId: incident.id,
      tier: incident.tier,
      openedAt: incident.openedAt,
    });
    const note = `escalated: not acknowledged after ${formatDuration(deps.policy.escalateAfter)}`;
    const body = buildTriggerEvent(
      { installId: deps.policy.installId, publicUrl: deps.publicUrl, now: deps.clock.now(), note },
      incident,
      alerts,
    );
    await deps.repo.setOnce(
      incident.id,
      tracked.generation,
      'escalated',
      { event: { incidentId: incident.id, action: 'trigger', body: JSON.stringify(body) } },
      deps.clock.now(),
    );
  }
  await deps.repo.finishTimer(timer, 'fired');
  deps.logger.info(
    { incidentId: incident.id, kind: timer.kind, code: 'PAGING_TIMER_FIRED' },
    'paging timer fired',
  );
}

/**
 * Fires due escalation and reminder timers. A timer is claimed (leased) before its note is queued,
 * so of several replicas only one posts it; only a process dying between queueing the note and
 * marking the timer fired (two local commits apart) can make a later claimer post it again.
 */
export async function fireDueTimers(deps: PagingDeps): Promise<number> {
  const timers = await deps.repo.claimTimers(deps.clock.now(), BATCH, LEASE_MS);
  for (const t of timers) await fire(deps, t);
  return timers.length;
}
