import type { Incident } from '../../core/alerts/incident.ts';
import { BOT_ACTOR } from '../../core/alerts/timeline.ts';
import type { ChatSurface } from '../../core/chat-surface.ts';
import type { Message } from '../../core/message.ts';
import { enqueueStormCard } from '../../core/outbox/enqueue.ts';
import type { MessageRef, OutboxEntry } from '../../core/outbox/outbox-entry.ts';
import type { ProposalCardSource } from '../../core/outbox/proposal-cards.ts';
import type { Repos, Store } from '../../core/store.ts';
import type { IncidentCardRenderer } from '../../handlers/alerts/incident-view.ts';
import type { StormCardRenderer } from '../../handlers/alerts/storm-view.ts';

export interface SendDeps {
  store: Store;
  renderIncident: IncidentCardRenderer;
  renderStorm: StormCardRenderer;
  /** Whether an incident's card is held back from the channel (P3s that wait for the digest). */
  holdsIncidentCard?: ((incident: Incident) => boolean) | undefined;
  /** Remediation proposal cards, when the remediation module is on. */
  proposalCards?: ProposalCardSource | undefined;
  now: () => number;
}

/**
 * What one delivery did. `recovered`: a retry found the message an interrupted attempt had already
 * posted (the platform acted, its answer was lost) and adopted it instead of posting it twice.
 */
export type SendOutcome = 'posted' | 'updated' | 'replied' | 'recovered' | 'skipped';

type Where = { channel: string; thread: MessageRef | null };

/**
 * Posts or replies once. A first attempt just sends; a later one first asks a surface that can
 * search what it posted whether the key is already there.
 */
async function sendOnce(
  surface: ChatSurface,
  entry: OutboxEntry,
  where: Where,
  message: Message,
  key: string,
): Promise<{ ref: MessageRef; recovered: boolean }> {
  if (entry.attempts > 1 && surface.findPosted) {
    const found = await surface.findPosted(where, key, entry.createdAt);
    if (found) return { ref: found, recovered: true };
  }
  const ref = where.thread
    ? await surface.reply(where.thread, message, { key })
    : await surface.post(where.channel, message, { key });
  return { ref, recovered: false };
}

/**
 * Queues what the surface sends after the message (Slack's chart uploads), behind the entry in
 * its order. Coalesce keys make a repeat harmless: a pending upload absorbs its duplicate.
 */
async function queueAttachments(
  deps: SendDeps,
  surface: ChatSurface,
  entry: OutboxEntry,
  ref: MessageRef,
  message: Message,
): Promise<void> {
  const attachments = surface.attachmentsOf?.(message) ?? [];
  if (attachments.length === 0) return;
  await deps.store.transaction(async (tx) => {
    for (const [index, attachment] of attachments.entries()) {
      await tx.outbox.enqueue(
        {
          surface: entry.surface,
          channel: entry.channel,
          payload: { kind: 'attachment', thread: ref, attachment, index },
          orderKey: entry.orderKey,
          coalesceKey: `attachment:${entry.surface}:${ref.id}:${index}`,
        },
        deps.now(),
      );
    }
  });
}

/** The card's delivery on the incident's timeline (by the bot, on one surface). */
function recordCard(repos: Repos, incidentId: number, type: string, surface: string, at: number) {
  return repos.timeline.record({ incidentId, at, type, actor: BOT_ACTOR, actorName: null, detail: surface });
}

/** Delivers one outbox entry to its surface, rendering cards from the store's current state. */
export async function sendEntry(
  deps: SendDeps,
  surface: ChatSurface,
  entry: OutboxEntry,
): Promise<SendOutcome> {
  const { store } = deps;
  const p = entry.payload;
  const at = { channel: entry.channel, thread: null };
  switch (p.kind) {
    case 'storm-card': {
      const card = await deps.renderStorm(store, p.stormId, deps.now());
      if (!card) return 'skipped';
      const ref = await store.storms.getMessage(p.stormId, entry.surface);
      if (ref) {
        await surface.update(ref, card);
        return 'updated';
      }
      const sent = await sendOnce(surface, entry, at, card, `storm:${p.stormId}`);
      await store.storms.saveMessage(p.stormId, sent.ref, deps.now());
      if (sent.recovered) await surface.update(sent.ref, card);
      return sent.recovered ? 'recovered' : 'posted';
    }
    case 'proposal-card': {
      const cards = deps.proposalCards;
      const card = cards && (await cards.render(p.proposalId, deps.now()));
      if (!cards || !card) return 'skipped';
      const ref = await cards.getMessage(p.proposalId, entry.surface);
      if (ref) {
        await surface.update(ref, card);
        return 'updated';
      }
      const where = { ...at, thread: p.thread };
      const sent = await sendOnce(surface, entry, where, card, `proposal:${p.proposalId}`);
      await cards.saveMessage(p.proposalId, sent.ref, deps.now());
      if (sent.recovered) await surface.update(sent.ref, card);
      return sent.recovered ? 'recovered' : 'posted';
    }
    case 'incident-card': {
      const view = await deps.renderIncident(store, p.incidentId, deps.now());
      if (!view) return 'skipped';
      const ref = await store.chatMessages.getIncidentCard(p.incidentId, entry.surface);
      if (ref) {
        await surface.update(ref, view.message);
        await recordCard(store, p.incidentId, 'card-updated', entry.surface, deps.now());
        return 'updated';
      }
      // A silenced incident is not announced; its card appears if the silence ends while it fires.
      if (view.incident.silenceId !== null) return 'skipped';
      // An incident folded into an alert storm shows on the storm card only: a change to it (an
      // acknowledgement, a silence) is brought to that card instead.
      const stormId = view.incident.stormId ?? null;
      if (stormId !== null) {
        const target = { surface: entry.surface, channel: entry.channel };
        await store.transaction((tx) =>
          enqueueStormCard(tx, [target], stormId, deps.now(), { coalesce: true }),
        );
        return 'skipped';
      }
      // A P3 waits for the digest; its card appears if it is raised to P2 or P1.
      if (deps.holdsIncidentCard?.(view.incident)) return 'skipped';
      const sent = await sendOnce(surface, entry, at, view.message, `incident:${p.incidentId}`);
      await store.transaction(async (tx) => {
        await tx.chatMessages.saveIncidentCard(p.incidentId, sent.ref, deps.now());
        await recordCard(tx, p.incidentId, 'card-posted', entry.surface, deps.now());
      });
      // The adopted card shows what the interrupted attempt rendered: bring it up to date.
      if (sent.recovered) await surface.update(sent.ref, view.message);
      await queueAttachments(deps, surface, entry, sent.ref, view.message);
      return sent.recovered ? 'recovered' : 'posted';
    }
    case 'message': {
      const parent =
        p.thread ??
        (p.incidentId !== null
          ? await store.chatMessages.getIncidentCard(p.incidentId, entry.surface)
          : undefined) ??
        null;
      // A note for an incident folded into a storm has no card to go under, and alone in the
      // channel it would be the flood storm mode holds back: the storm card shows its state.
      // Likewise for one whose card is held back for the digest.
      if (!parent && p.incidentId !== null) {
        const incident = await store.incidents.get(p.incidentId);
        if (incident && ((incident.stormId ?? null) !== null || deps.holdsIncidentCard?.(incident)))
          return 'skipped';
      }
      const sent = await sendOnce(surface, entry, { ...at, thread: parent }, p.message, `outbox:${entry.id}`);
      await queueAttachments(deps, surface, entry, sent.ref, p.message);
      if (sent.recovered) return 'recovered';
      return parent ? 'replied' : 'posted';
    }
    case 'attachment': {
      if (!surface.sendAttachment) return 'skipped';
      await surface.sendAttachment(p.thread, p.attachment, p.index);
      return 'replied';
    }
  }
}
