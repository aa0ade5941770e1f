import { z } from 'zod';
import {
  formatIncidentId,
  type Incident,
  incidentTier,
  parseIncidentId,
} from '../../core/alerts/incident.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { Message } from '../../core/message.ts';
import type { Store, StoredAlert } from '../../core/store.ts';
import type { AgentTool } from './agent-tool.ts';
import { plainFacts, plainSection, suggestedRemediations } from './plain-card.ts';

/** `INC-42`, `#42` or `42`, as people write incident ids in chat. */
export const incidentRef = z
  .string()
  .regex(/^(?:INC-|#)?\d{1,9}$/i, 'an incident id such as INC-42')
  .describe('The incident, e.g. INC-42.');

/** Renders an incident's card as chat shows it now (template plus every module's evidence). */
export type RenderIncident = (
  incidentId: number,
) => Promise<{ incident: Incident; message: Message } | undefined>;

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** The incident's own fields an agent reads (ids as people write them, times as ISO text). */
export function incidentSummary(i: Incident): Record<string, unknown> {
  return {
    id: formatIncidentId(i.id),
    title: i.title,
    tier: i.tier,
    kind: i.kind,
    status: i.status,
    source: i.source,
    resource: i.resource,
    flapping: i.flapping,
    acknowledgedBy: i.acknowledgedBy,
    silencedUntil: iso(i.silencedUntil),
    startedAt: iso(i.startedAt ?? i.openedAt),
    openedAt: iso(i.openedAt),
    resolvedAt: iso(i.resolvedAt),
  };
}

function alertSummary(s: StoredAlert): Record<string, unknown> {
  const a = s.alert;
  return {
    source: a.source,
    rule: a.rule,
    status: a.status,
    tier: a.tier,
    kind: a.kind,
    summary: a.summary,
    description: a.description,
    labels: a.labels,
    values: a.values,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    firstSeenAt: iso(s.firstSeenAt),
    lastSeenAt: iso(s.lastSeenAt),
    refireCount: s.refireCount,
  };
}

/**
 * What happened when, from what the store keeps: the incident's own times and its alerts' first
 * firing and resolution, oldest first.
 */
function timeline(i: Incident, alerts: readonly StoredAlert[]): { at: string; event: string }[] {
  const events: { at: number; event: string }[] = [
    { at: i.openedAt, event: `${formatIncidentId(i.id)} opened` },
  ];
  for (const s of alerts) {
    events.push({ at: s.firstSeenAt, event: `alert ${s.alert.rule} fired` });
    if (s.resolvedAt !== null) events.push({ at: s.resolvedAt, event: `alert ${s.alert.rule} resolved` });
  }
  if (i.acknowledgedAt !== null)
    events.push({ at: i.acknowledgedAt, event: `acknowledged by ${i.acknowledgedBy}` });
  if (i.silencedUntil !== null)
    events.push({ at: i.silencedUntil, event: `silence by ${i.silencedBy} ends` });
  if (i.resolvedAt !== null) events.push({ at: i.resolvedAt, event: 'resolved' });
  return events
    .sort((a, b) => a.at - b.at)
    .map((e) => ({ at: new Date(e.at).toISOString(), event: e.event }));
}

/** `list_incidents` and `get_incident`: read-only views of the incidents chat shows. */
export function incidentTools(store: Store, renderIncident: RenderIncident): AgentTool[] {
  const listInput = z.strictObject({
    tier: incidentTier.optional().describe('Only incidents of this tier.'),
    limit: z.number().int().min(1).max(100).default(20).describe('At most this many incidents.'),
  });
  const listIncidents: AgentTool = {
    name: 'list_incidents',
    title: 'List open incidents',
    description: 'Open incidents, newest first: id, title, tier (P1 most urgent), kind, status and resource.',
    input: listInput,
    readOnly: true,
    async run(args) {
      const { tier, limit } = listInput.parse(args);
      // Filtered after the read, so a tier filter still sees up to 500 open incidents.
      const open = await store.incidents.listOpen(tier ? 500 : limit);
      const incidents = open.filter((i) => !tier || i.tier === tier).slice(0, limit);
      return {
        structured: { incidents: incidents.map(incidentSummary) },
        text:
          incidents.length === 0
            ? 'No open incidents.'
            : incidents.map((i) => `${formatIncidentId(i.id)} ${i.tier} ${i.status}: ${i.title}`).join('\n'),
      };
    },
  };

  const getIncident: AgentTool = {
    name: 'get_incident',
    title: 'Get an incident',
    description:
      'One incident as its chat card shows it: facts, evidence from the vetted queries, its alerts, a timeline, and the remediations the card suggests (propose one with propose_remediation).',
    input: z.strictObject({ incident: incidentRef }),
    readOnly: true,
    async run(args) {
      const id = parseIncidentId(String(args.incident))!;
      const [card, alerts] = await Promise.all([renderIncident(id), store.alerts.listByIncident(id)]);
      if (!card) throw new UserFacingError('UNKNOWN_INCIDENT', `There is no ${formatIncidentId(id)}.`);
      const { incident, message } = card;
      const facts = plainFacts(message.facts);
      return {
        structured: {
          incident: incidentSummary(incident),
          facts,
          sections: message.sections.map(plainSection),
          alerts: alerts.map(alertSummary),
          timeline: timeline(incident, alerts),
          suggestedRemediations: incident.status === 'open' ? suggestedRemediations(message) : [],
        },
        text: [
          `${formatIncidentId(incident.id)} ${incident.tier} ${incident.status}: ${incident.title}`,
          ...facts.map(([k, v]) => `${k}: ${v}`),
          `${alerts.length} alert${alerts.length === 1 ? '' : 's'}`,
        ].join('\n'),
      };
    },
  };
  return [listIncidents, getIncident];
}
