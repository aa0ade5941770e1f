import type { Alert } from '../../core/alerts/alert.ts';
import type { Incident, IncidentTier } from '../../core/alerts/incident.ts';
import { matchesAll } from '../../core/alerts/matchers.ts';
import type { Silence } from '../../core/alerts/silence.ts';
import { matchLabels } from './kinds.ts';

/*
 * What an incident takes from the alerts that open and join it: pure functions of the alert and
 * the incident, used by the ingest transaction.
 */

/** The incident a firing alert opens. */
export function newIncident(a: Alert, groupKey: string, now: number): Omit<Incident, 'id'> {
  return {
    groupKey,
    source: a.source,
    title: a.summary || a.rule,
    kind: a.kind,
    tier: a.tier as IncidentTier,
    status: 'open',
    flapping: false,
    flapCount: 0,
    resource: a.resource,
    acknowledgedBy: null,
    acknowledgedAt: null,
    silenceId: null,
    silencedBy: null,
    silencedUntil: null,
    openedAt: now,
    updatedAt: now,
    resolvedAt: null,
    startedAt: Date.parse(a.startsAt),
    endedAt: null,
    version: 1,
  };
}

/** Puts the incident under the first active silence that matches the alert, if it has none yet. */
export function applySilence(incident: Incident, a: Alert, silences: readonly Silence[]): Incident {
  if (incident.silenceId !== null) return incident;
  const labels = matchLabels(a);
  const s = silences.find((candidate) => matchesAll(candidate.matchers, labels));
  return s ? { ...incident, silenceId: s.id, silencedBy: s.createdBy, silencedUntil: s.endsAt } : incident;
}

/**
 * Folds an alert's own start and end into its incident's: the earliest start, and the latest end
 * among the alerts that resolved (the bot's clock when a resolution carries no end time).
 */
export function senderTimes(i: Incident, a: Alert, now: number): Pick<Incident, 'startedAt' | 'endedAt'> {
  const start = Date.parse(a.startsAt);
  const startedAt = i.startedAt === undefined || i.startedAt === null ? start : Math.min(i.startedAt, start);
  if (a.status !== 'resolved') return { startedAt, endedAt: i.endedAt ?? null };
  const end = a.endsAt === null ? now : Date.parse(a.endsAt);
  return { startedAt, endedAt: Math.max(i.endedAt ?? end, end) };
}
