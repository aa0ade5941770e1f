import { formatIncidentId, type Incident, incidentEnd, incidentStart } from '../../core/alerts/incident.ts';
import { formatDuration } from '../../core/duration.ts';
import { buildMessage, type Message } from '../../core/message.ts';

/** Thread note when every alert of an incident has resolved. */
export function resolvedReply(i: Incident, alertCount: number): Message {
  // The senders' own start and end: the bot may have learnt of either late.
  const end = incidentEnd(i) ?? i.resolvedAt;
  const after = end !== null ? ` after ${formatDuration(end - incidentStart(i))}` : '';
  return buildMessage({
    sections: [
      {
        kind: 'notice',
        tone: 'good',
        text: `${formatIncidentId(i.id)} resolved${after}: ${alertCount === 1 ? 'its alert has' : `all ${alertCount} alerts have`} cleared.`,
      },
    ],
  });
}

/** A plain answer in chat. */
export function textReply(
  text: string,
  tone: 'default' | 'good' | 'warning' | 'attention' = 'default',
): Message {
  return buildMessage({
    sections: [tone === 'default' ? { kind: 'text', text } : { kind: 'notice', text, tone }],
  });
}
