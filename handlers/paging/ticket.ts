import { z } from 'zod';
import { formatIncidentId, type Incident, incidentStart } from '../../core/alerts/incident.ts';
import type { StoredAlert } from '../../core/store.ts';

/** Why a ticket is sent: opened for an incident, or its state changed. */
export const ticketEvent = z.enum(['opened', 'acknowledged', 'resolved']);
export type TicketEvent = z.infer<typeof ticketEvent>;

/**
 * The JSON a ticket webhook receives. Every text field is a plain string as the alert's sender
 * wrote it (never markup); the receiving tracker decides how to show it.
 */
export const ticket = z.object({
  incidentId: z.string(),
  event: ticketEvent,
  priority: z.enum(['P1', 'P2', 'P3']),
  title: z.string(),
  status: z.enum(['open', 'resolved']),
  openedAt: z.string(),
  /** When its alerts started by the senders' clocks (falls back to `openedAt`). */
  startedAt: z.string(),
  /** The incident's resource labels (cluster, namespace, model …), only those it has. */
  fields: z.record(z.string(), z.string()),
  links: z.array(z.object({ kind: z.string(), url: z.string() })),
});
export type Ticket = z.infer<typeof ticket>;

/** Same incident and event → same key: a retried or re-sent ticket is one ticket at the receiver. */
export function ticketIdempotencyKey(t: Pick<Ticket, 'incidentId' | 'event'>): string {
  return `${t.incidentId}:${t.event}`;
}

/** The ticket for an incident, from its state and its alerts' links. */
export function buildTicket(event: TicketEvent, incident: Incident, alerts: readonly StoredAlert[]): Ticket {
  const fields = Object.fromEntries(
    Object.entries(incident.resource).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
    ),
  );
  const seen = new Set<string>();
  const links = alerts
    .flatMap((a) => a.alert.links)
    .filter((l) => !seen.has(l.url) && seen.add(l.url))
    .slice(0, 20)
    .map((l) => ({ kind: l.kind, url: l.url }));
  return ticket.parse({
    incidentId: formatIncidentId(incident.id),
    event,
    priority: incident.tier,
    title: incident.title,
    status: incident.status,
    openedAt: new Date(incident.openedAt).toISOString(),
    startedAt: new Date(incidentStart(incident)).toISOString(),
    fields,
    links,
  });
}
