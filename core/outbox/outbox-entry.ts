import { z } from 'zod';
import { downloadFile, message } from '../message.ts';

export const surfaceId = z.enum(['console', 'teams', 'slack']);
export type SurfaceId = z.infer<typeof surfaceId>;

/** A platform's handle on a posted message: enough to update it or reply in its thread. */
export const messageRef = z.object({
  surface: surfaceId,
  channel: z.string(),
  /** Platform message id: console id, Slack ts, Teams activity id. */
  id: z.string(),
  /** Platform extras needed to address the message again (Teams conversation id, serviceUrl …). */
  extra: z.record(z.string(), z.string()).default({}),
});
export type MessageRef = z.infer<typeof messageRef>;

/** An image a surface sends after a message, into its thread (Slack uploads chart PNGs). */
export const attachment = z.object({
  /** The bot's own signed URL the bytes come from (a chart, or a document such as a postmortem). */
  url: z.url(),
  alt: z.string().min(1),
  title: z.string().optional(),
  /** A document's file name and type; a chart (PNG) without them, as queued before documents. */
  file: downloadFile.optional(),
});
export type Attachment = z.infer<typeof attachment>;

/**
 * What a delivery does. `incident-card` carries no content: the card is rendered from the
 * incident's state at delivery time, so queued updates coalesce into one that shows the latest.
 */
export const outboxPayload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('incident-card'), incidentId: z.number().int() }),
  /** The alert storm's summary card, rendered like an incident card from the store at delivery. */
  z.object({ kind: z.literal('storm-card'), stormId: z.number().int() }),
  /**
   * A remediation proposal's card, rendered from the proposal's state at delivery: posted once in
   * the thread it was proposed in, then edited in place at every step (approved, executing …).
   */
  z.object({
    kind: z.literal('proposal-card'),
    proposalId: z.number().int(),
    thread: messageRef.nullable().default(null),
  }),
  z.object({
    kind: z.literal('message'),
    message,
    /** Reply in this incident's card thread (posted to the channel if the card is not there). */
    incidentId: z.number().int().nullable().default(null),
    /** Reply in this message's thread. */
    thread: messageRef.nullable().default(null),
  }),
  /** One attachment of a delivered message, sent on its own so a failure never re-sends the message. */
  z.object({ kind: z.literal('attachment'), thread: messageRef, attachment, index: z.number().int().min(0) }),
]);
export type OutboxPayload = z.infer<typeof outboxPayload>;

export interface OutboxEntry {
  id: number;
  surface: SurfaceId;
  channel: string;
  payload: OutboxPayload;
  /** Entries with the same order key are delivered strictly in id order. */
  orderKey: string;
  /** A pending, not-in-flight entry with the same key absorbs new ones (card updates). */
  coalesceKey: string | null;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

export interface NewOutboxEntry {
  surface: SurfaceId;
  channel: string;
  payload: OutboxPayload;
  orderKey: string;
  coalesceKey?: string | null;
  /**
   * Deliver no earlier than this long after enqueueing: a window in which later changes coalesce.
   * An entry absorbed by a waiting one brings that one's due time forward to its own, if sooner.
   */
  delayMs?: number;
}
