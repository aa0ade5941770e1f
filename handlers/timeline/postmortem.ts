import { markdownText, sectionsToMarkdown } from '../../cards/render/markdown.ts';
import { cardTime } from '../../cards/templates/format.ts';
import { timelineActor, timelineLabel } from '../../cards/templates/timeline-card.ts';
import { formatIncidentId, type Incident, incidentEnd, incidentStart } from '../../core/alerts/incident.ts';
import type { NewTimelineEvent } from '../../core/alerts/timeline.ts';
import { formatDuration } from '../../core/duration.ts';
import type { Section } from '../../core/message.ts';
import type { StoredAlert } from '../../core/store.ts';

export interface PostmortemInput {
  incident: Incident;
  alerts: readonly StoredAlert[];
  /** The whole timeline, oldest first. */
  events: readonly NewTimelineEvent[];
  /** Events left out because the timeline is longer than the draft holds. */
  earlier: number;
  /** The evidence the incident's card showed, as the modules keep it. */
  evidence: readonly Section[];
  ackMs: number | undefined;
  resolveMs: number | undefined;
  timeZone: string;
}

const RESOURCE_KEYS = [
  'cluster',
  'node',
  'gpu',
  'namespace',
  'pod',
  'deployment',
  'model',
  'modelVersion',
  'appRole',
] as const;
const ACTION =
  /^(remediation-|acknowledged|unacknowledged|owned|silenced|silence-|unsilenced|resolved-by-hand|paged|escalated)/;

/**
 * The postmortem draft of an incident as Markdown: summary, impact window, affected resources,
 * timeline, evidence as it was kept, actions and their verification, open questions. Built only
 * from what the bot recorded, so the same records give the same document; every text a sender or
 * a person wrote is escaped, so it reads as the words they wrote.
 */
export function buildPostmortem(input: PostmortemInput): string {
  const { incident: i, alerts, events } = input;
  const tf = { timeZone: input.timeZone, now: 0 };
  // The bot's own words (times, labels) need no escaping; what senders and people wrote does.
  const t = (ms: number) => cardTime(ms, tf).fallback;
  const name = formatIncidentId(i.id);
  const start = incidentStart(i);
  const end = incidentEnd(i);
  const rules = [...new Set(alerts.map((a) => a.alert.rule))].sort();
  const out: string[] = [
    `# Postmortem draft: ${name} ${markdownText(i.title)}`,
    '',
    '*A draft made from the bot’s records; edit it into the team’s postmortem.*',
    '',
    '## Summary',
    '',
    `- Tier: ${i.tier}; status: ${i.status}${i.flapCount > 0 ? `; flapped ${i.flapCount}×` : ''}`,
    `- Source: ${markdownText(i.source)}; alert rules: ${rules.map(markdownText).join(', ') || 'none recorded'}`,
    `- Incident commander: ${markdownText(i.commander ?? 'none named')}`,
    `- Time to acknowledge: ${input.ackMs === undefined ? 'not acknowledged' : formatDuration(input.ackMs)}`,
    `- Time to resolve: ${input.resolveMs === undefined ? 'not resolved' : formatDuration(input.resolveMs)}`,
    '',
    '## Impact window',
    '',
    `- Started: ${t(start)} (by the alert source)`,
    `- Ended: ${end === null ? 'still open' : `${t(end)}, after ${formatDuration(end - start)}`}`,
    `- The bot opened it ${t(i.openedAt)}${i.resolvedAt === null ? '' : ` and saw it resolve ${t(i.resolvedAt)}`}`,
    '',
    '## Affected resources',
    '',
    ...affected(alerts),
    '',
    '## Timeline',
    '',
    ...(input.earlier > 0 ? [`(${input.earlier} earlier events not shown)`, ''] : []),
    '| When | Event | By | Detail |',
    '| --- | --- | --- | --- |',
    // Card updates are bookkeeping: each follows a step listed here.
    ...events
      .filter((e) => e.type !== 'card-updated')
      .map(
        (e) =>
          `| ${t(e.at)} | ${markdownText(timelineLabel(e.type))} | ${markdownText(timelineActor(e))} | ${markdownText(e.detail || '-')} |`,
      ),
    '',
    '## Evidence snapshots',
    '',
    ...(input.evidence.length ? sectionsToMarkdown(input.evidence) : ['No evidence was attached.', '']),
    '## Actions and verification',
    '',
    ...actions(events, t),
    '',
    '## Open questions',
    '',
    ...openQuestions(input),
    '',
  ];
  return out.join('\n');
}

function affected(alerts: readonly StoredAlert[]): string[] {
  const lines = new Set<string>();
  for (const a of alerts) {
    const r = a.alert.resource;
    const parts = RESOURCE_KEYS.flatMap((k) => (r[k] ? [`${k} ${r[k]}`] : []));
    if (r.azureResourceId) parts.push(`Azure ${r.azureResourceId}`);
    if (parts.length) lines.add(`- ${markdownText(parts.join(', '))}`);
  }
  return lines.size ? [...lines].sort() : ['- None named by the alerts.'];
}

function actions(events: readonly NewTimelineEvent[], t: (ms: number) => string): string[] {
  const done = events.filter((e) => ACTION.test(e.type));
  if (done.length === 0) return ['- No action was recorded.'];
  return done.map(
    (e) =>
      `- ${t(e.at)}: ${markdownText(timelineLabel(e.type))} by ${markdownText(timelineActor(e))}${e.detail ? ` (${markdownText(e.detail)})` : ''}`,
  );
}

/** What the records cannot answer: the questions a reviewer should settle. */
function openQuestions(input: PostmortemInput): string[] {
  const q: string[] = ['- What was the root cause, and what would have caught it earlier?'];
  const { incident: i, events } = input;
  if (input.ackMs === undefined) q.push('- Nobody acknowledged it: did the page reach anyone?');
  if (i.flapCount > 0) q.push(`- It flapped ${i.flapCount}×: is the alert's threshold or duration right?`);
  if (events.some((e) => e.type === 'resolved-by-hand'))
    q.push('- It was resolved by hand: did its alerts clear afterwards, or were they still firing?');
  if (events.some((e) => /^remediation-(failed|verify-failed|rolled-back)/.test(e.type)))
    q.push('- A remediation failed or was rolled back: why, and is the action safe to offer again?');
  if (!events.some((e) => e.type.startsWith('remediation-')))
    q.push('- No remediation ran: is there a runbook step the bot should offer next time?');
  q.push('- What follow-up work items come out of this, and who owns them?');
  return q;
}
