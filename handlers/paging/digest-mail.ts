import { formatIncidentId, type Incident, incidentStart } from '../../core/alerts/incident.ts';

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

/** The P3 digest as a plain-text mail: the same incidents as the card, one line each. */
export function digestMailText(
  day: string,
  incidents: readonly Incident[],
  timeZone: string,
): { subject: string; text: string } {
  const n = incidents.length;
  const lines = incidents.map(
    (i) =>
      `${formatIncidentId(i.id)}  ${i.status.padEnd(8)}  ${formatLocal(incidentStart(i), timeZone)}  ${i.title}`,
  );
  return {
    subject: `P3 digest for ${day}: ${n} incident${n === 1 ? '' : 's'}`,
    text: [
      `Low-urgency (P3) incidents opened since the previous digest (${timeZone}):`,
      '',
      ...lines,
      '',
    ].join('\n'),
  };
}
