import { textReply } from '../../cards/templates/incident-replies.ts';
import { formatIncidentId } from '../../core/alerts/incident.ts';
import { attemptDelivery, settleDelivery } from '../../core/outbox/delivery-target.ts';
import { enqueueIncidentReply } from '../../core/outbox/enqueue.ts';
import type { PagingEvent } from '../../store/paging/paging-repo.ts';
import { pagerDutyDeliveryTarget } from './delivery-targets.ts';
import { pagerDutyEventBody } from './pagerduty-event.ts';
import type { PagingDeps } from './paging-deps.ts';

/** Longer than a send can take (10 s timeout), so a live sender never loses its lease. */
const LEASE_MS = 60_000;
const BATCH = 20;
const MAX_ROUNDS = 10;
/** A page is worth many tries; after this many the thread is told paging failed. */
const MAX_ATTEMPTS = 20;

async function reportFailure(deps: PagingDeps, event: PagingEvent, reason: string): Promise<void> {
  const now = deps.clock.now();
  const text = `Paging ${formatIncidentId(event.incidentId)} failed: PagerDuty did not take the ${event.action} event (${reason}). Page the on-call by hand.`;
  await deps.store.transaction((tx) =>
    enqueueIncidentReply(tx, deps.targets, event.incidentId, textReply(text, 'attention'), now),
  );
  deps.onQueued();
}

async function deliverOne(deps: PagingDeps, event: PagingEvent): Promise<void> {
  const pd = deps.pagerDuty;
  if (!pd) return;
  const target = pagerDutyDeliveryTarget(pd, deps.clock);
  const outcome = await attemptDelivery(target, pagerDutyEventBody.parse(JSON.parse(event.body)));
  const now = deps.clock.now();
  const settled = settleDelivery(outcome, event.attempts, {
    now,
    maxAttempts: MAX_ATTEMPTS,
    backoff: deps.backoff,
  });
  if (settled.kind === 'done') {
    await deps.repo.completeEvent(event.id, now);
    deps.logger.info(
      {
        incidentId: event.incidentId,
        action: event.action,
        attempts: event.attempts,
        code: 'PAGING_EVENT_SENT',
      },
      'PagerDuty event sent',
    );
    return;
  }
  if (settled.kind === 'retry') {
    await deps.repo.retryEvent(event.id, settled.at, settled.reason);
    deps.logger.warn(
      { incidentId: event.incidentId, code: settled.code, retryAt: settled.at },
      'PagerDuty event will be retried',
    );
    return;
  }
  await deps.repo.failEvent(event.id, now, settled.reason);
  deps.logger.error(
    { incidentId: event.incidentId, code: settled.code, reason: settled.reason },
    'PagerDuty event failed; not retried',
  );
  await reportFailure(deps, event, settled.reason);
}

/**
 * Sends due PagerDuty events, per incident in the order they were queued. An event is leased while
 * it is sent, so replicas never send it at the same time; a process that dies after PagerDuty
 * accepted it but before recording that makes the next lease send it again, which is harmless: the
 * same dedup_key lands on the same PagerDuty alert, and ack/resolve are idempotent there.
 */
export async function deliverPagingEvents(deps: PagingDeps): Promise<number> {
  if (!deps.pagerDuty) return 0;
  let sent = 0;
  // Sending an incident's event makes its next one due, so claim again until nothing is left.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const batch = await deps.repo.claimEvents(deps.clock.now(), BATCH, LEASE_MS);
    if (batch.length === 0) break;
    for (const event of batch) await deliverOne(deps, event);
    sent += batch.length;
  }
  return sent;
}
