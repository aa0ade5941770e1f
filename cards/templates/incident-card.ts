import type { AlertLink, AlertResource } from '../../core/alerts/alert.ts';
import { formatIncidentId, type Incident, incidentEnd, incidentStart } from '../../core/alerts/incident.ts';
import { formatDuration } from '../../core/duration.ts';
import {
  buildMessage,
  type Fact,
  type Message,
  type MessageAction,
  type MessageStatus,
  type Section,
} from '../../core/message.ts';
import type { StoredAlert } from '../../core/store.ts';
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

/** The measured values, else the value as the sender wrote it (`$value` annotation, `0.45 sec`). */
function describeValues(s: StoredAlert): string {
  const v = Object.entries(s.alert.values);
  const threshold = s.alert.annotations.threshold;
  const shown =
    v.map(([k, n]) => `${k}=${Number.isInteger(n) ? n : n.toFixed(2)}`).join(' ') || s.alert.valueText || '';
  return threshold && shown ? `${shown} (threshold ${threshold})` : shown;
}

/**
 * The alert the card's title came from (the incident is titled after the alert that opened it),
 * so the title, description, details and query shown together are about one alert.
 */
function leadAlert(i: Incident, alerts: readonly StoredAlert[]): StoredAlert | undefined {
  return alerts.find((s) => (s.alert.summary || s.alert.rule) === i.title) ?? alerts[0];
}

/** Alerts in the order they started by their senders' clocks; equal starts keep the store's order. */
function byStart(alerts: readonly StoredAlert[]): StoredAlert[] {
  return [...alerts].sort((a, b) => Date.parse(a.alert.startsAt) - Date.parse(b.alert.startsAt));
}

const QUERY_TITLES = { promql: 'PromQL expression', kql: 'KQL query' } as const;

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
  const titles: Record<AlertLink['kind'], string> = {
    runbook: 'Runbook',
    generator: 'Source',
    portal: 'Azure portal',
    search: 'Search results',
    silence: 'Silence at source',
    dashboard: 'Dashboard',
    panel: 'Panel',
    image: 'Screenshot',
  };
  for (const s of alerts) {
    for (const l of s.alert.links) {
      if (seen.has(l.url)) continue;
      seen.add(l.url);
      links.push({ title: titles[l.kind], url: l.url });
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
  /** The latest paging step from the timeline (paged, escalated): whom it reached and when. */
  paging?: { detail: string; at: number } | undefined;
}

/** The incident card: one per incident, updated in place as its alerts change. */
export function incidentCard({
  incident: i,
  alerts,
  evidence = [],
  time,
  silenceChoices,
  paging,
}: IncidentCardInput): Message {
  const firing = alerts.filter((s) => s.alert.status === 'firing').length;
  const lead = leadAlert(i, alerts);
  const started = incidentStart(i);
  const facts: Fact[] = [
    ['Tier', `${i.tier} · ${alerts[0]?.alert.tierReason ?? ''}`.replace(/ · $/, '')],
    ['Started', cardTime(started, time)],
    ['Alerts', `${firing} firing of ${alerts.length}`],
  ];
  const rules = [...new Set(byStart(alerts).map((s) => s.alert.rule))];
  if (rules.length > 0 && !(rules.length === 1 && rules[0] === i.title)) {
    const shown = rules.slice(0, 5).join(', ') + (rules.length > 5 ? ` +${rules.length - 5}` : '');
    facts.push([rules.length === 1 ? 'Rule' : 'Rules', shown]);
  }
  const affected = describeAffected(alerts);
  if (affected) facts.push(['Affected', affected]);
  const ended = incidentEnd(i);
  if (ended !== null)
    facts.push(['Resolved', rich`${cardTime(ended, time)}, after ${formatDuration(ended - started)}`]);
  if (i.commander) facts.push(['Commander', i.commander]);
  if (paging && i.status === 'open')
    facts.push(['Paging', rich`${paging.detail} (${cardTime(paging.at, time, 'time')})`]);
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

  const sections: Section[] = [];
  if (lead?.alert.description) sections.push({ kind: 'text', text: lead.alert.description });
  if (lead?.alert.details.length)
    sections.push({
      kind: 'facts',
      title: `From ${sourceName(lead.alert.source)}`,
      facts: lead.alert.details.map((d): Fact => [d.label, d.value]),
    });
  if (lead?.alert.query)
    sections.push({
      kind: 'code',
      title: QUERY_TITLES[lead.alert.query.language],
      collapsed: true,
      code: lead.alert.query.text,
    });
  sections.push(alertTable(byStart(alerts), time));
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
