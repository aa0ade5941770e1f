import { textReply } from '../../cards/templates/incident-replies.ts';
import { formatIncidentId } from '../../core/alerts/incident.ts';
import { nextDelayMs } from '../../core/backoff.ts';
import { DeliveryError } from '../../core/errors.ts';
import { enqueueIncidentReply } from '../../core/outbox/enqueue.ts';
import type { PagingEvent } from '../../store/paging/paging-repo.ts';
import { sendPagerDutyEvent } from './pagerduty-client.ts';
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
  const target = deps.pagerDuty;
  if (!target) return;
  try {
    await sendPagerDutyEvent(target, pagerDutyEventBody.parse(JSON.parse(event.body)));
    await deps.repo.completeEvent(event.id, deps.clock.now());
    deps.logger.info(
      {
        incidentId: event.incidentId,
        action: event.action,
        attempts: event.attempts,
        code: 'PAGING_EVENT_SENT',
      },
      'PagerDuty event sent',
    );
  } catch (err) {
    const now = deps.clock.now();
    const retryable = err instanceof DeliveryError && err.retryable && event.attempts < MAX_ATTEMPTS;
    const message = (err as Error).message;
    const code = err instanceof DeliveryError ? err.code : 'PAGING_EVENT_ERROR';
    if (retryable) {
      const at = now + nextDelayMs(event.attempts, err.retryAfterMs, deps.backoff);
      await deps.repo.retryEvent(event.id, at, message);
      deps.logger.warn(
        { incidentId: event.incidentId, code, retryAt: at },
        'PagerDuty event will be retried',
      );
      return;
    }
    await deps.repo.failEvent(event.id, now, message);
    deps.logger.error({ incidentId: event.incidentId, code, err }, 'PagerDuty event failed; not retried');
    await reportFailure(deps, event, message);
  }
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
