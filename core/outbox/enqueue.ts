import type { Message } from '../message.ts';
import type { Repos } from '../store.ts';
import type { MessageRef, SurfaceId } from './outbox-entry.ts';
import { placeOrderKey } from './proposal-cards.ts';

/** Where incident cards go: the on-call channel of each configured surface. */
export interface ChannelTarget {
  surface: SurfaceId;
  channel: string;
}

/**
 * Alert-driven updates of a card already in the channel wait this long, so the changes of an
 * alert storm coalesce into one edit. A new card, and any change a person made (ack, silence,
 * remediation progress), goes out at once.
 */
export const CARD_UPDATE_COALESCE_MS = 5_000;

/** Per surface: an incident's card and its thread replies are delivered in order. */
const incidentOrderKey = (incidentId: number, surface: SurfaceId) => `incident:${incidentId}:${surface}`;

/**
 * Queues a card sync for an incident on every target. Syncs coalesce: however many changes happen
 * before delivery, one post or update goes out, rendered from the latest state. `coalesce`
 * (alert-driven changes) lets an update wait out the coalescing window; without it the sync is
 * due now, and pulls forward a sync already waiting.
 */
export async function enqueueIncidentCard(
  tx: Repos,
  targets: readonly ChannelTarget[],
  incidentId: number,
  now: number,
  options: { coalesce?: boolean } = {},
): Promise<void> {
  for (const t of targets) {
    const posted = await tx.chatMessages.getIncidentCard(incidentId, t.surface);
    await tx.outbox.enqueue(
      {
        surface: t.surface,
        channel: t.channel,
        payload: { kind: 'incident-card', incidentId },
        orderKey: incidentOrderKey(incidentId, t.surface),
        coalesceKey: `card:${incidentId}:${t.surface}`,
        delayMs: posted && options.coalesce ? CARD_UPDATE_COALESCE_MS : 0,
      },
      now,
    );
  }
}

/**
 * Queues a sync of an alert storm's card on every target: posted at once the first time, then
 * updated in place; alert-driven updates coalesce like incident cards.
 */
export async function enqueueStormCard(
  tx: Repos,
  targets: readonly ChannelTarget[],
  stormId: number,
  now: number,
  options: { coalesce?: boolean } = {},
): Promise<void> {
  for (const t of targets) {
    const posted = await tx.storms.getMessage(stormId, t.surface);
    await tx.outbox.enqueue(
      {
        surface: t.surface,
        channel: t.channel,
        payload: { kind: 'storm-card', stormId },
        orderKey: `storm:${stormId}:${t.surface}`,
        coalesceKey: `storm:${stormId}:${t.surface}`,
        delayMs: posted && options.coalesce ? CARD_UPDATE_COALESCE_MS : 0,
      },
      now,
    );
  }
}

/** Queues a reply in an incident's thread on every target, after any pending card sync. */
export async function enqueueIncidentReply(
  tx: Repos,
  targets: readonly ChannelTarget[],
  incidentId: number,
  message: Message,
  now: number,
): Promise<void> {
  for (const t of targets) {
    await tx.outbox.enqueue(
      {
        surface: t.surface,
        channel: t.channel,
        payload: { kind: 'message', message, incidentId, thread: null },
        orderKey: incidentOrderKey(incidentId, t.surface),
      },
      now,
    );
  }
}

/** Queues an answer to someone in chat: in the thread they wrote in, or in the channel. */
export async function enqueueReply(
  tx: Repos,
  to: { surface: SurfaceId; channel: string; thread: MessageRef | null },
  message: Message,
  now: number,
): Promise<void> {
  await tx.outbox.enqueue(
    {
      surface: to.surface,
      channel: to.channel,
      payload: { kind: 'message', message, incidentId: null, thread: to.thread },
      orderKey: placeOrderKey(to),
    },
    now,
  );
}
