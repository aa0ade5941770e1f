import { formatIncidentId, type Incident } from '../../core/alerts/incident.ts';
import type { NewTimelineEvent } from '../../core/alerts/timeline.ts';
import { formatDuration } from '../../core/duration.ts';
import { buildMessage, type Message } from '../../core/message.ts';
import { cardTime, type TimeFormat } from './format.ts';
import { incidentStatus } from './incident-card.ts';

/** What people read for each kind of event; a kind not named here is shown as it is stored. */
const LABELS: Record<string, string> = {
  opened: 'incident opened',
  'alert-joined': 'alert joined',
  'alert-fired': 'alert fired again',
  'alert-resolved': 'alert resolved',
  flapping: 'flapping (fired again)',
  'tier-changed': 'tier changed',
  resolved: 'resolved by its source',
  'resolved-by-hand': 'resolved by hand',
  'card-posted': 'card posted',
  'card-updated': 'card updated',
  acknowledged: 'acknowledged',
  unacknowledged: 'acknowledgement withdrawn',
  owned: 'incident commander',
  silenced: 'silenced',
  'silence-extended': 'silence extended',
  unsilenced: 'silence lifted',
  paged: 'paged',
  escalated: 'escalated',
  'evidence-attached': 'evidence attached',
};

/** The words for an event type (remediation steps read as "remediation proposed" …). */
export function timelineLabel(type: string): string {
  return LABELS[type] ?? type.replaceAll('-', ' ');
}

/** Who did it: the name people read, else the platform-qualified id, else the bot. */
export function timelineActor(e: Pick<NewTimelineEvent, 'actor' | 'actorName'>): string {
  return e.actorName ?? (e.actor === null || e.actor === 'bot' ? 'bot' : e.actor);
}

/** A run of the same bookkeeping event (a card updated ten times) reads as one line. */
interface Line {
  event: NewTimelineEvent;
  times: number;
}

const FOLDED = new Set(['card-updated']);

function fold(events: readonly NewTimelineEvent[]): Line[] {
  const lines: Line[] = [];
  for (const event of events) {
    const last = lines.at(-1);
    if (last && FOLDED.has(event.type) && last.event.type === event.type) last.times++;
    else lines.push({ event, times: 1 });
  }
  return lines;
}

export interface TimelineCardInput {
  incident: Incident;
  /** The latest events, oldest first. */
  events: readonly NewTimelineEvent[];
  /** How many events there are before `events`. */
  earlier: number;
  /** The incident's MTTA/MTTR as read from its whole timeline. */
  ackMs: number | undefined;
  resolveMs: number | undefined;
  time: TimeFormat;
}

/**
 * `/timeline`: an incident's events, newest last, each with when, what, who and its detail. Every
 * text a person or a sender wrote (reasons, comments, alert names) is a plain table cell; the
 * renderers show it as text.
 */
export function timelineCard(input: TimelineCardInput): Message {
  const { incident: i, time } = input;
  const lines = fold(input.events);
  const timing = [
    input.ackMs === undefined ? 'not acknowledged' : `acknowledged after ${formatDuration(input.ackMs)}`,
    input.resolveMs === undefined ? undefined : `resolved after ${formatDuration(input.resolveMs)}`,
  ].filter((x) => x !== undefined);
  return buildMessage({
    header: {
      title: `${formatIncidentId(i.id)} timeline: ${i.title}`,
      tier: i.tier,
      status: 'info',
      subtitle: `${incidentStatus(i)} · ${timing.join(' · ')}`,
    },
    sections: [
      ...(input.earlier > 0
        ? [
            {
              kind: 'text' as const,
              text: `… ${input.earlier} earlier event${input.earlier === 1 ? '' : 's'}`,
            },
          ]
        : []),
      lines.length
        ? {
            kind: 'table',
            columns: ['When', 'Event', 'By', 'Detail'],
            rows: lines.map(({ event: e, times }) => [
              cardTime(e.at, time),
              times > 1 ? `${timelineLabel(e.type)} ×${times}` : timelineLabel(e.type),
              timelineActor(e),
              e.detail || '-',
            ]),
          }
        : { kind: 'text', text: 'Nothing recorded yet.' },
    ],
  });
}
