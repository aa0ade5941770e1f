import { p3DigestCard } from '../../cards/templates/digest.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import { enqueueReply } from '../../core/outbox/enqueue.ts';
import { latestDigestSlot } from './business-day.ts';
import { digestMailText } from './digest-mail.ts';
import type { PagingDeps } from './paging-deps.ts';

const LEASE_MS = 60_000;
/** A digest never reaches further back than this (a new install does not dig up old P3s). */
const LOOKBACK_MS = 14 * 86_400_000;

/**
 * Posts the P3 digest of the latest business-day start once it has come: one card per channel
 * with the P3 incidents opened before that start that no earlier digest showed. Claimed per day,
 * so of several replicas and many ticks exactly one posts it; a day without P3s posts nothing.
 */
export async function postDueDigest(deps: PagingDeps): Promise<boolean> {
  const now = deps.clock.now();
  const slot = latestDigestSlot(now, deps.calendar);
  if (!slot) return false;
  if (!(await deps.repo.claimDigest(slot.day, now, LEASE_MS))) return false;
  const tracked = await deps.repo.listUndigested(slot.at - LOOKBACK_MS, slot.at);
  const incidents: Incident[] = [];
  for (const t of tracked) {
    const i = await deps.store.incidents.get(t.incidentId);
    // Raised to P1/P2 since: it was handled at that tier, not in the digest.
    if (i && i.tier === 'P3') incidents.push(i);
  }
  if (incidents.length > 0) {
    const card = p3DigestCard({ day: slot.day, incidents, timeZone: deps.calendar.timeZone });
    await deps.store.transaction(async (tx) => {
      for (const t of deps.targets) {
        await enqueueReply(tx, { surface: t.surface, channel: t.channel, thread: null }, card, now);
      }
    });
    deps.onQueued();
  }
  const email = deps.policy.digest.email;
  const mail =
    email && deps.smtp && incidents.length > 0
      ? JSON.stringify({
          from: email.from,
          to: email.to,
          ...digestMailText(slot.day, incidents, deps.calendar.timeZone),
        })
      : undefined;
  await deps.repo.completeDigest(
    slot.day,
    tracked.map((t) => t.incidentId),
    now,
    mail,
  );
  deps.logger.info({ day: slot.day, count: incidents.length, code: 'PAGING_DIGEST_DONE' }, 'P3 digest done');
  return incidents.length > 0;
}
