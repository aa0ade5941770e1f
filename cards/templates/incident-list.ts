import { formatIncidentId, type Incident, incidentStart } from '../../core/alerts/incident.ts';
import { formatDuration } from '../../core/duration.ts';
import { buildMessage, type Message } from '../../core/message.ts';
import { incidentStatus } from './incident-card.ts';

const TIER_ORDER = { P1: 0, P2: 1, P3: 2 } as const;
const MAX_ROWS = 25;

/** `/alerts`: open incidents, most urgent first. */
export function incidentList(incidents: readonly Incident[], now: number): Message {
  if (incidents.length === 0) {
    return buildMessage({ header: { title: 'No open incidents', status: 'success' } });
  }
  const sorted = [...incidents].sort(
    (a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || incidentStart(b) - incidentStart(a),
  );
  const counts = (['P1', 'P2', 'P3'] as const).map(
    (t) => `${incidents.filter((i) => i.tier === t).length} ${t}`,
  );
  return buildMessage({
    header: {
      title: `${incidents.length} open incident${incidents.length === 1 ? '' : 's'}`,
      status: 'info',
      subtitle: counts.join(' · '),
    },
    sections: [
      {
        kind: 'table',
        columns: ['Incident', 'Tier', 'Title', 'Status', 'Age'],
        rows: sorted
          .slice(0, MAX_ROWS)
          .map((i) => [
            formatIncidentId(i.id),
            { text: i.tier, tone: i.tier === 'P1' ? 'attention' : i.tier === 'P2' ? 'warning' : 'default' },
            i.title,
            incidentStatus(i),
            formatDuration(now - incidentStart(i)),
          ]),
        more: Math.max(0, sorted.length - MAX_ROWS),
      },
    ],
  });
}
