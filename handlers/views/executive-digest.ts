import { statusCard } from '../../cards/templates/status-card.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import { type ChannelTarget, enqueueReply } from '../../core/outbox/enqueue.ts';
import type { Store } from '../../core/store.ts';
import type { SlotClaims } from '../../store/schedule/slot-claims.ts';
import { type ExecutiveDeps, gatherExecutiveView } from './executive-view.ts';

export interface ExecutiveDigestDeps {
  executive: ExecutiveDeps;
  claims: SlotClaims;
  store: Store;
  /** The chat platforms; the digest goes to `channel` on each of them. */
  targets: readonly ChannelTarget[];
  channel: string;
  everyMs: number;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  onQueued: () => void;
}

/**
 * Posts the executive view (`/status`) to the digest channel once per `everyMs` slot: the first
 * tick of a slot on any replica claims it, so however many replicas tick, one digest goes out.
 * A slot whose view could not be gathered is logged and skipped, not retried into the next one.
 */
export async function postDueExecutiveDigest(deps: ExecutiveDigestDeps): Promise<boolean> {
  const now = deps.clock.now();
  const slot = Math.floor(now / deps.everyMs) * deps.everyMs;
  if (!(await deps.claims.claim('executive-digest', slot, now))) return false;
  try {
    const card = statusCard(await gatherExecutiveView(deps.executive, now, deps.timeZone));
    await deps.store.transaction(async (tx) => {
      for (const t of deps.targets)
        await enqueueReply(tx, { surface: t.surface, channel: deps.channel, thread: null }, card, now);
    });
    deps.onQueued();
    deps.logger.info(
      { slot, channel: deps.channel, code: 'EXECUTIVE_DIGEST_POSTED' },
      'executive digest queued',
    );
    return true;
  } catch (err) {
    deps.logger.warn(
      { err, slot, code: 'EXECUTIVE_DIGEST_FAILED' },
      'executive digest skipped for this slot',
    );
    return false;
  }
}
