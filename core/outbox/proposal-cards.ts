import type { Message } from '../message.ts';
import type { Repos } from '../store.ts';
import type { MessageRef, SurfaceId } from './outbox-entry.ts';

/**
 * Where proposal cards come from at delivery: the remediation module renders them from its own
 * store and remembers where each was posted (proposals live outside the bot's store).
 */
export interface ProposalCardSource {
  /** The card as the proposal stands now; undefined if there is no such proposal. */
  render(proposalId: number, now: number): Promise<Message | undefined>;
  getMessage(proposalId: number, surface: SurfaceId): Promise<MessageRef | undefined>;
  saveMessage(proposalId: number, ref: MessageRef, now: number): Promise<void>;
}

/** Where a proposal was made: its card goes there, replies follow it in the same order. */
export interface ProposalPlace {
  surface: SurfaceId;
  channel: string;
  thread: MessageRef | null;
}

/** The order key of a chat place: what is queued for one thread is delivered in order. */
export function placeOrderKey(place: ProposalPlace): string {
  return place.thread
    ? `thread:${place.surface}:${place.thread.id}`
    : `channel:${place.surface}:${place.channel}`;
}

/**
 * Queues a sync of a proposal's card: the first posts it where the proposal was made, later ones
 * edit it in place. Syncs coalesce, so a burst of steps becomes one edit showing the latest.
 */
export async function enqueueProposalCard(
  tx: Repos,
  place: ProposalPlace,
  proposalId: number,
  now: number,
): Promise<void> {
  await tx.outbox.enqueue(
    {
      surface: place.surface,
      channel: place.channel,
      payload: { kind: 'proposal-card', proposalId, thread: place.thread },
      orderKey: placeOrderKey(place),
      coalesceKey: `proposal:${proposalId}:${place.surface}`,
    },
    now,
  );
}
