import { formatIncidentId, type Incident, incidentStart } from '../../core/alerts/incident.ts';
import { buildMessage, type Message } from '../../core/message.ts';
import { incidentStatus } from './incident-card.ts';

const MAX_ROWS = 30;

function formatLocal(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms);
}

/**
 * The daily P3 digest: every low-urgency incident opened since the previous digest, in one card at
 * the start of the business day instead of one interruption each.
 */
export function p3DigestCard(input: {
  day: string;
  incidents: readonly Incident[];
  timeZone: string;
}): Message {
  const { incidents, timeZone } = input;
  const open = incidents.filter((i) => i.status === 'open').length;
  return buildMessage({
    header: {
      title: `P3 digest for ${input.day}: ${incidents.length} incident${incidents.length === 1 ? '' : 's'}`,
      tier: 'P3',
      status: 'info',
      subtitle: `${open} still open · ${incidents.length - open} resolved`,
    },
    sections: [
      {
        kind: 'table',
        columns: ['Incident', 'Title', 'Started', 'Status'],
        rows: incidents
          .slice(0, MAX_ROWS)
          .map((i) => [
            formatIncidentId(i.id),
            i.title,
            formatLocal(incidentStart(i), timeZone),
            incidentStatus(i),
          ]),
        more: Math.max(0, incidents.length - MAX_ROWS),
      },
    ],
  });
}
