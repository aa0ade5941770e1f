import type { AlertResource } from '../../handlers/alerts/alert.ts';
import { formatIncidentId, type Incident } from '../../handlers/alerts/incident.ts';
import type { StoredAlert } from '../../store/store.ts';
import {
  buildMessage,
  type Fact,
  type Message,
  type MessageAction,
  type MessageStatus,
  type Section,
} from '../model.ts';
import { cardTime, rich, sourceName, type TimeFormat } from './format.ts';

/** Evidence attached to an incident by enrichment (vetted queries, GPU charts). */
export interface Evidence {
  title: string;
  sections: Section[];
}

const MAX_ALERT_ROWS = 10;
const RESOURCE_LABELS: ReadonlyArray<[keyof AlertResource, string]> = [
  ['cluster', 'cluster'],
  ['node', 'node'],
  ['gpu', 'GPU'],
  ['namespace', 'namespace'],
  ['pod', 'pod'],
  ['deployment', 'deployment'],
  ['model', 'model'],
  ['modelVersion', 'version'],
  ['appRole', 'app role'],
];

/** The one status word a card leads with; the most actionable state wins. */
export function incidentStatus(i: Incident): MessageStatus {
  if (i.status === 'resolved') return 'resolved';
  if (i.silenceId !== null) return 'silenced';
  if (i.acknowledgedBy) return 'acknowledged';
  if (i.flapping) return 'flapping';
  return 'firing';
}

/** "node node-7 · GPU 3, 5 · deployment gpt-4o": every distinct resource value across the alerts. */
function describeAffected(alerts: readonly StoredAlert[]): string {
  const parts: string[] = [];
  for (const [key, label] of RESOURCE_LABELS) {
    const values = [...new Set(alerts.map((s) => s.alert.resource[key]).filter((v): v is string => !!v))];
    if (values.length === 0) continue;
    const shown = values.slice(0, 5).join(', ') + (values.length > 5 ? ` +${values.length - 5}` : '');
    parts.push(`${label} ${shown}`);
  }
  return parts.join(' · ');
}

function describeValues(s: StoredAlert): string {
  const v = Object.entries(s.alert.values);
  const threshold = s.alert.annotations.threshold;
  const shown = v.map(([k, n]) => `${k}=${Number.isInteger(n) ? n : n.toFixed(2)}`).join(' ');
  return threshold && shown ? `${shown} (threshold ${threshold})` : shown;
}

function alertTable(alerts: readonly StoredAlert[], tf: TimeFormat): Section {
  const rows = alerts.slice(0, MAX_ALERT_ROWS).map((s) => [
    s.alert.summary || s.alert.rule,
    s.alert.status === 'resolved'
      ? { text: 'resolved', tone: 'good' as const }
      : {
          text: s.refireCount > 0 ? `firing (re-fired ${s.refireCount}×)` : 'firing',
          tone: 'attention' as const,
        },
    s.alert.resource.node ??
      s.alert.resource.deployment ??
      s.alert.resource.azureResourceId?.split('/').pop() ??
      '',
    cardTime(Date.parse(s.alert.startsAt), tf),
    describeValues(s),
  ]);
  return {
    kind: 'table',
    title: 'Alerts',
    columns: ['Alert', 'Status', 'Resource', 'Since', 'Value'],
    rows,
    more: Math.max(0, alerts.length - MAX_ALERT_ROWS),
  };
}

function incidentLinks(alerts: readonly StoredAlert[]): Section | undefined {
  const seen = new Set<string>();
  const links: { title: string; url: string }[] = [];
  const titles = {
    runbook: 'Runbook',
    generator: 'Source',
    portal: 'Azure portal',
    dashboard: 'Dashboard',
  } as const;
  for (const s of alerts) {
    for (const l of s.alert.links) {
      if (!(l.kind in titles) || seen.has(l.url)) continue;
      seen.add(l.url);
      links.push({ title: titles[l.kind as keyof typeof titles], url: l.url });
    }
  }
  return links.length ? { kind: 'links', links: links.slice(0, 6) } : undefined;
}

function incidentActions(i: Incident, silenceChoices: readonly string[]): MessageAction[] {
  if (i.status === 'resolved') return [];
  const data = { incidentId: i.id };
  const actions: MessageAction[] = [];
  if (!i.acknowledgedBy) actions.push({ verb: 'ack', title: 'Acknowledge', style: 'positive', data });
  if (i.silenceId === null) {
    actions.push({
      verb: 'silence',
      title: 'Silence',
      style: 'default',
      data,
      input: {
        id: 'duration',
        label: 'Silence for',
        choices: silenceChoices.map((d) => ({ title: d, value: d })),
        value: silenceChoices[0] ?? '1h',
      },
    });
  } else {
    actions.push({ verb: 'unsilence', title: 'Unsilence', style: 'default', data });
  }
  return actions;
}

export interface IncidentCardInput {
  incident: Incident;
  alerts: readonly StoredAlert[];
  evidence?: readonly Evidence[];
  time: TimeFormat;
  silenceChoices?: readonly string[];
}

/** The incident card: one per incident, updated in place as its alerts change. */
export function incidentCard({
  incident: i,
  alerts,
  evidence = [],
  time,
  silenceChoices,
}: IncidentCardInput): Message {
  const firing = alerts.filter((s) => s.alert.status === 'firing').length;
  const facts: Fact[] = [
    ['Tier', `${i.tier} · ${alerts[0]?.alert.tierReason ?? ''}`.replace(/ · $/, '')],
    ['Started', cardTime(i.openedAt, time)],
    ['Alerts', `${firing} firing of ${alerts.length}`],
  ];
  const affected = describeAffected(alerts);
  if (affected) facts.push(['Affected', affected]);
  if (i.resolvedAt !== null) facts.push(['Resolved', cardTime(i.resolvedAt, time)]);
  if (i.acknowledgedBy && i.acknowledgedAt !== null) {
    facts.push(['Acknowledged', rich`by ${i.acknowledgedBy}, ${cardTime(i.acknowledgedAt, time)}`]);
  }
  if (i.silencedUntil !== null)
    facts.push([
      'Silenced',
      rich`by ${i.silencedBy ?? 'a silence'} until ${cardTime(i.silencedUntil, time)}`,
    ]);
  if (i.flapping)
    facts.push(['Flapping', `re-fired ${i.flapCount}× within the flap window; not re-notified`]);

  const description = alerts.find((s) => s.alert.description)?.alert.description;
  const sections: Section[] = [];
  if (description) sections.push({ kind: 'text', text: description });
  sections.push(alertTable(alerts, time));
  for (const e of evidence) sections.push({ kind: 'text', text: e.title, style: 'heading' }, ...e.sections);
  const links = incidentLinks(alerts);
  if (links) sections.push(links);

  return buildMessage({
    header: {
      title: i.title,
      tier: i.tier,
      status: incidentStatus(i),
      subtitle: `${formatIncidentId(i.id)} · ${sourceName(i.source)} · ${i.kind}`,
    },
    facts,
    sections,
    actions: incidentActions(i, silenceChoices ?? ['1h', '4h', '24h']),
  });
}
