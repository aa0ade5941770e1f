import { formatDuration } from '../../bot/duration.ts';
import { formatIncidentId, type Incident } from '../../handlers/alerts/incident.ts';
import { buildMessage, type Message } from '../model.ts';

/** Thread note when every alert of an incident has resolved. */
export function resolvedReply(i: Incident, alertCount: number): Message {
  const after = i.resolvedAt !== null ? ` after ${formatDuration(i.resolvedAt - i.openedAt)}` : '';
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
