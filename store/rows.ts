import { alert, alertResource } from '../core/alerts/alert.ts';
import { type Incident, incident } from '../core/alerts/incident.ts';
import { silence } from '../core/alerts/silence.ts';
import { type Storm, type StormIncident, storm, stormIncident } from '../core/alerts/storm.ts';
import { type TimelineEvent, timelineEvent } from '../core/alerts/timeline.ts';
import { type OutboxEntry, outboxPayload, surfaceId } from '../core/outbox/outbox-entry.ts';
import type { AlertState, ConsoleMessage, StoredAlert } from '../core/store.ts';
import { fromJson } from './json.ts';

/**
 * Table rows as both engines return them (snake_case columns, times as numbers, JSON as text),
 * and their mapping to the domain types through the domain's zod schemas. One definition for
 * SQLite and PostgreSQL.
 */
export interface AlertRow {
  status: string;
  incident_id: number | null;
  body: string;
  first_seen_at: number;
  last_seen_at: number;
  resolved_at: number | null;
  refire_count: number;
  receive_count: number;
}

export function toStored(row: AlertRow): StoredAlert {
  return {
    alert: alert.parse(fromJson(row.body)),
    incidentId: row.incident_id,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: row.resolved_at,
    refireCount: row.refire_count,
    receiveCount: row.receive_count,
  };
}

export function toAlertState(row: AlertRow & { body: string }): AlertState {
  return {
    status: row.status === 'resolved' ? 'resolved' : 'firing',
    body: row.body,
    incidentId: row.incident_id,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: row.resolved_at,
    refireCount: row.refire_count,
    receiveCount: row.receive_count,
  };
}

/** `SELECT status, count(*) … GROUP BY status` rows as firing/resolved counts. */
export function toStatusCounts(rows: readonly { status: string; n: number | string }[]) {
  const counts = { firing: 0, resolved: 0 };
  for (const r of rows) counts[r.status === 'resolved' ? 'resolved' : 'firing'] += Number(r.n);
  return counts;
}

export interface IncidentRow {
  id: number;
  group_key: string;
  source: string;
  title: string;
  kind: string;
  tier: string;
  status: string;
  /** 0/1 in SQLite, boolean in PostgreSQL. */
  flapping: number | boolean;
  flap_count: number;
  resource: string;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  silence_id: number | null;
  silenced_by: string | null;
  silenced_until: number | null;
  opened_at: number;
  updated_at: number;
  resolved_at: number | null;
  version: number;
  storm_id: number | null;
  started_at: number | null;
  ended_at: number | null;
  commander: string | null;
}

export function toIncident(row: IncidentRow): Incident {
  return incident.parse({
    id: row.id,
    groupKey: row.group_key,
    source: row.source,
    title: row.title,
    kind: row.kind,
    tier: row.tier,
    status: row.status,
    flapping: Boolean(row.flapping),
    flapCount: row.flap_count,
    resource: alertResource.parse(fromJson(row.resource)),
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at,
    silenceId: row.silence_id,
    silencedBy: row.silenced_by,
    silencedUntil: row.silenced_until,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at,
    startedAt: row.started_at ?? null,
    endedAt: row.ended_at ?? null,
    commander: row.commander ?? null,
    version: row.version,
    stormId: row.storm_id === null ? null : Number(row.storm_id),
  });
}

export interface StormRow {
  id: number;
  started_at: number;
  last_incident_at: number;
  ended_at: number | null;
}

export function toStorm(row: StormRow): Storm {
  return storm.parse({
    id: Number(row.id),
    startedAt: Number(row.started_at),
    lastIncidentAt: Number(row.last_incident_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
  });
}

/** The columns of `incidents` the storm card needs. */
export type StormIncidentRow = Pick<
  IncidentRow,
  'id' | 'title' | 'kind' | 'tier' | 'status' | 'resource' | 'opened_at' | 'acknowledged_by' | 'silence_id'
>;

export const STORM_INCIDENT_COLUMNS =
  'id, title, kind, tier, status, resource, opened_at, acknowledged_by, silence_id';

export function toStormIncident(row: StormIncidentRow): StormIncident {
  return stormIncident.parse({
    id: Number(row.id),
    title: row.title,
    kind: row.kind,
    tier: row.tier,
    status: row.status,
    resource: fromJson(row.resource),
    openedAt: Number(row.opened_at),
    acknowledgedBy: row.acknowledged_by,
    silenceId: row.silence_id === null ? null : Number(row.silence_id),
  });
}

export interface SilenceRow {
  id: number;
  matchers: string;
  created_by: string;
  created_at: number;
  ends_at: number;
  comment: string;
  incident_id: number | null;
  expired_at: number | null;
}

export function toSilence(row: SilenceRow) {
  return silence.parse({
    id: row.id,
    matchers: fromJson(row.matchers),
    createdBy: row.created_by,
    createdAt: row.created_at,
    endsAt: row.ends_at,
    comment: row.comment,
    incidentId: row.incident_id,
    expiredAt: row.expired_at,
  });
}

export interface OutboxRow {
  id: number;
  surface: string;
  channel: string;
  payload: string;
  order_key: string;
  coalesce_key: string | null;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
}

export function toEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    surface: surfaceId.parse(row.surface),
    channel: row.channel,
    payload: outboxPayload.parse(fromJson(row.payload)),
    orderKey: row.order_key,
    coalesceKey: row.coalesce_key,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
}

export interface ConsoleRow {
  id: string;
  channel: string;
  thread_id: string | null;
  author: string;
  created_at: number;
  updated_at: number;
  text: string;
  card: string | null;
}

export function toConsoleMessage(row: ConsoleRow): ConsoleMessage {
  return {
    id: row.id,
    channel: row.channel,
    threadId: row.thread_id,
    author: row.author,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    text: row.text,
    card: row.card === null ? null : fromJson(row.card),
  };
}

export interface TimelineRow {
  id: number;
  incident_id: number;
  at: number;
  type: string;
  actor: string | null;
  actor_name: string | null;
  detail: string;
}

export function toTimelineEvent(row: TimelineRow): TimelineEvent {
  return timelineEvent.parse({
    id: row.id,
    incidentId: row.incident_id,
    at: row.at,
    type: row.type,
    actor: row.actor,
    actorName: row.actor_name,
    detail: row.detail,
  });
}
