import { z } from 'zod';
import type { ChatUser } from '../chat-surface.ts';

/**
 * What happens to an incident, one row per event, in the order it happened. The kinds the bot
 * records are named here; a module may record kinds of its own (`remediation-succeeded` …), so
 * the stored type is any short kebab-case word, and the known ones get their words when shown.
 */
export const TIMELINE_KINDS = [
  'opened',
  'alert-joined',
  'alert-resolved',
  'flapping',
  'tier-changed',
  'resolved',
  'resolved-by-hand',
  'card-posted',
  'card-updated',
  'acknowledged',
  'unacknowledged',
  'owned',
  'silenced',
  'silence-extended',
  'unsilenced',
  'paged',
  'escalated',
  'evidence-attached',
  'remediation-proposed',
  'remediation-approved',
  'remediation-executed',
  'remediation-verified',
  'remediation-rolled-back',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const timelineEventType = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, 'a short kebab-case event type');

/** The bot itself as an actor: events no person caused (an alert arriving, a timer firing). */
export const BOT_ACTOR = 'bot';

export const timelineEvent = z.object({
  id: z.number().int().positive(),
  incidentId: z.number().int().positive(),
  /** Epoch ms, from the injected clock. */
  at: z.number(),
  type: timelineEventType,
  /**
   * Who, platform-qualified (`slack:U123`, `teams:<aad id>`, `console:alice`, `mcp:<agent>`), or
   * `bot`; null for the rows written before actors were qualified (their name is in `actorName`).
   */
  actor: z.string().nullable(),
  /** The name people read (a chat display name); null when the actor is the bot. */
  actorName: z.string().nullable(),
  detail: z.string(),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;
export type NewTimelineEvent = Omit<TimelineEvent, 'id'>;

/** Longest detail kept on a row: reasons and comments are people's words, bounded. */
export const TIMELINE_DETAIL_MAX = 500;

/** A row as recorded: the detail bounded, the type checked. */
export function timelineRow(event: NewTimelineEvent): NewTimelineEvent {
  return {
    ...event,
    type: timelineEventType.parse(event.type),
    detail: event.detail.slice(0, TIMELINE_DETAIL_MAX),
  };
}

/** Who caused an event: a chat user (platform-qualified id and display name), or the bot. */
export type TimelineActor = ChatUser | typeof BOT_ACTOR;

/** The actor columns of a row. */
export function actorColumns(by: TimelineActor): Pick<TimelineEvent, 'actor' | 'actorName'> {
  return by === BOT_ACTOR
    ? { actor: BOT_ACTOR, actorName: null }
    : { actor: by.id, actorName: by.displayName };
}
