import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { Message } from '../../core/message.ts';
import { type ChannelTarget, enqueueReply } from '../../core/outbox/enqueue.ts';
import type { Store } from '../../core/store.ts';
import type { SlotClaims } from '../../store/schedule/slot-claims.ts';

export interface ViewDigestDeps {
  claims: SlotClaims;
  store: Store;
  /** The chat platforms; the digest goes to `channel` on each of them. */
  targets: readonly ChannelTarget[];
  channel: string;
  clock: Clock;
  logger: Logger;
  onQueued: () => void;
}

/** One scheduled view: its slot name, how often, the card, and its log codes' prefix. */
export interface ViewDigest {
  /** The slot name claimed across replicas (`executive-digest`, `capacity-digest`). */
  slot: string;
  everyMs: number;
  /** `EXECUTIVE_DIGEST` → `EXECUTIVE_DIGEST_POSTED` / `_FAILED`. */
  code: string;
  card(now: number): Promise<Message>;
}

/**
 * Posts a view to the digest channel once per `everyMs` slot: the first tick of a slot on any
 * replica claims it, so however many replicas tick, one digest goes out. A slot whose view could
 * not be gathered is logged and skipped, not retried into the next one.
 */
export async function postDueDigest(deps: ViewDigestDeps, digest: ViewDigest): Promise<boolean> {
  const now = deps.clock.now();
  const slot = Math.floor(now / digest.everyMs) * digest.everyMs;
  if (!(await deps.claims.claim(digest.slot, slot, now))) return false;
  try {
    const card = await digest.card(now);
    await deps.store.transaction(async (tx) => {
      for (const t of deps.targets)
        await enqueueReply(tx, { surface: t.surface, channel: deps.channel, thread: null }, card, now);
    });
    deps.onQueued();
    deps.logger.info({ slot, channel: deps.channel, code: `${digest.code}_POSTED` }, `${digest.slot} queued`);
    return true;
  } catch (err) {
    deps.logger.warn({ err, slot, code: `${digest.code}_FAILED` }, `${digest.slot} skipped for this slot`);
    return false;
  }
}
