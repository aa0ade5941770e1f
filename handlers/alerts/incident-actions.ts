import type { AlertPolicy } from '../../core/alerts/alert-policy.ts';
import { formatIncidentId, type Incident } from '../../core/alerts/incident.ts';
import { type Matcher, matchesAll } from '../../core/alerts/matchers.ts';
import type { Silence } from '../../core/alerts/silence.ts';
import { actorColumns, BOT_ACTOR, type TimelineActor } from '../../core/alerts/timeline.ts';
import type { ChatUser } from '../../core/chat-surface.ts';
import type { Clock } from '../../core/clock.ts';
import { formatDuration } from '../../core/duration.ts';
import { UserFacingError } from '../../core/errors.ts';
import { type ChannelTarget, enqueueIncidentCard } from '../../core/outbox/enqueue.ts';
import type { Repos, Store } from '../../core/store.ts';
import { identifyingLabels } from './identifying-labels.ts';
import { matchLabels } from './kinds.ts';

/** What the operations on incidents need; built once in the composition root. */
export interface IncidentOpsDeps {
  store: Store;
  policy: AlertPolicy;
  clock: Clock;
  targets: readonly ChannelTarget[];
}

export async function requireIncident(tx: Repos, id: number): Promise<Incident> {
  const incident = await tx.incidents.get(id);
  if (!incident)
    throw new UserFacingError(
      'UNKNOWN_INCIDENT',
      `There is no ${formatIncidentId(id)}. Type /alerts to see open incidents.`,
    );
  return incident;
}

/** An incident change as one unit: the new state, its timeline event, and the card update. */
export async function saveChange(
  deps: IncidentOpsDeps,
  tx: Repos,
  next: Incident,
  event: { type: string; by: TimelineActor; detail: string },
) {
  const now = deps.clock.now();
  await tx.incidents.update({ ...next, updatedAt: now, version: next.version + 1 });
  await tx.timeline.record({
    incidentId: next.id,
    at: now,
    type: event.type,
    ...actorColumns(event.by),
    detail: event.detail,
  });
  await enqueueIncidentCard(tx, deps.targets, next.id, now);
}

/** Acknowledges an open incident; who and when show on its card and in its thread. */
export async function acknowledgeIncident(
  deps: IncidentOpsDeps,
  id: number,
  user: ChatUser,
): Promise<string> {
  return deps.store.transaction(async (tx) => {
    const incident = await requireIncident(tx, id);
    const name = formatIncidentId(id);
    if (incident.status === 'resolved')
      throw new UserFacingError('INCIDENT_RESOLVED', `${name} is already resolved.`);
    if (incident.acknowledgedBy) return `${name} was already acknowledged by ${incident.acknowledgedBy}.`;
    const now = deps.clock.now();
    await saveChange(
      deps,
      tx,
      { ...incident, acknowledgedBy: user.displayName, acknowledgedAt: now },
      { type: 'acknowledged', by: user, detail: '' },
    );
    // The answer to whoever acknowledged is the one reply; the card shows who and when.
    return `${name} acknowledged by ${user.displayName}.`;
  });
}

/**
 * The identifying labels every alert of the incident shares (its name and resource, not UUIDs or
 * exporter details): silencing them silences this problem and its repeats.
 */
async function commonMatchers(tx: Repos, incidentId: number): Promise<Matcher[]> {
  const alerts = await tx.alerts.listByIncident(incidentId);
  const [first, ...rest] = alerts.map((s) => identifyingLabels(matchLabels(s.alert)));
  if (!first) return [];
  return Object.entries(first)
    .filter(([name, value]) => rest.every((l) => l[name] === value))
    .map(([name, value]) => ({ name, op: '=' as const, value }));
}

function checkDuration(deps: IncidentOpsDeps, ms: number): void {
  const max = deps.policy.silences.maxDuration;
  if (ms > max)
    throw new UserFacingError('SILENCE_TOO_LONG', `Silences last at most ${formatDuration(max)}.`);
}

/** Applies a new silence to the open incidents it covers; returns their ids. */
async function applyToOpenIncidents(
  deps: IncidentOpsDeps,
  tx: Repos,
  s: Silence,
  by: TimelineActor,
): Promise<number[]> {
  const covered: number[] = [];
  for (const incident of await tx.incidents.listOpen(10_000)) {
    if (incident.silenceId !== null) continue;
    const alerts = await tx.alerts.listByIncident(incident.id);
    const firing = alerts.filter((a) => a.alert.status === 'firing');
    if (firing.length === 0 || !firing.every((a) => matchesAll(s.matchers, matchLabels(a.alert)))) continue;
    await saveChange(
      deps,
      tx,
      { ...incident, silenceId: s.id, silencedBy: s.createdBy, silencedUntil: s.endsAt },
      { type: 'silenced', by, detail: silenceDetail(s) },
    );
    covered.push(incident.id);
  }
  return covered;
}

function silenceDetail(s: Silence): string {
  const comment = s.comment ? `: ${s.comment}` : '';
  return `silence #${s.id} until ${new Date(s.endsAt).toISOString()}${comment}`;
}

/** `/silence <matchers> <duration>`: silences matching alerts, now and until the silence ends. */
export async function createSilence(
  deps: IncidentOpsDeps,
  input: { matchers: Matcher[]; durationMs: number; user: ChatUser; comment: string; incidentId?: number },
): Promise<{ silence: Silence; incidentIds: number[] }> {
  checkDuration(deps, input.durationMs);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    let matchers = input.matchers;
    if (input.incidentId !== undefined) {
      const incident = await requireIncident(tx, input.incidentId);
      if (incident.status === 'resolved') {
        throw new UserFacingError(
          'INCIDENT_RESOLVED',
          `${formatIncidentId(incident.id)} is already resolved.`,
        );
      }
      if (matchers.length === 0) matchers = await commonMatchers(tx, incident.id);
    }
    if (matchers.length === 0) {
      throw new UserFacingError(
        'SILENCE_NEEDS_MATCHERS',
        'Say what to silence, e.g. /silence alertname=GpuTempHigh Hostname=node-7 2h.',
      );
    }
    const silence = await tx.silences.create({
      matchers,
      createdBy: input.user.displayName,
      createdAt: now,
      endsAt: now + input.durationMs,
      comment: input.comment,
      incidentId: input.incidentId ?? null,
    });
    // One reply, the answer to whoever silenced; each covered card shows the silence.
    const incidentIds = await applyToOpenIncidents(deps, tx, silence, input.user);
    return { silence, incidentIds };
  });
}

/** Lifts the silence of the incidents it covers; their cards update (or appear, if never posted). */
async function liftSilence(
  deps: IncidentOpsDeps,
  tx: Repos,
  silenceId: number,
  by: TimelineActor,
): Promise<number[]> {
  const lifted: number[] = [];
  for (const incident of await tx.incidents.listOpen(10_000)) {
    if (incident.silenceId !== silenceId) continue;
    await saveChange(
      deps,
      tx,
      { ...incident, silenceId: null, silencedBy: null, silencedUntil: null },
      { type: 'unsilenced', by, detail: `silence #${silenceId}${by === BOT_ACTOR ? ' ended' : ''}` },
    );
    lifted.push(incident.id);
  }
  return lifted;
}

/** `/unsilence <id>` or the Unsilence button. */
export async function expireSilence(
  deps: IncidentOpsDeps,
  silenceId: number,
  user: ChatUser,
): Promise<number[]> {
  return deps.store.transaction(async (tx) => {
    const silence = await tx.silences.get(silenceId);
    if (!silence) throw new UserFacingError('UNKNOWN_SILENCE', `There is no silence #${silenceId}.`);
    await tx.silences.expire(silenceId, deps.clock.now());
    return liftSilence(deps, tx, silenceId, user);
  });
}

/** Periodic: incidents whose silence ran out get their card back. Idempotent, safe on any replica. */
export async function sweepExpiredSilences(deps: IncidentOpsDeps): Promise<number> {
  return deps.store.transaction(async (tx) => {
    let count = 0;
    const ids = new Set((await tx.incidents.listSilenceExpired(deps.clock.now())).map((i) => i.silenceId!));
    for (const id of ids) count += (await liftSilence(deps, tx, id, BOT_ACTOR)).length;
    return count;
  });
}

/**
 * `/resolve`: an on-caller closes an incident by hand, with the reason on record. Its card
 * shows it resolved; an alert that fires again reopens it as usual.
 */
export async function resolveIncidentByHand(
  deps: IncidentOpsDeps,
  id: number,
  user: ChatUser,
  reason: string,
): Promise<Incident> {
  return deps.store.transaction(async (tx) => {
    const incident = await requireIncident(tx, id);
    if (incident.status === 'resolved')
      throw new UserFacingError('INCIDENT_RESOLVED', `${formatIncidentId(id)} is already resolved.`);
    const now = deps.clock.now();
    const next: Incident = { ...incident, status: 'resolved', resolvedAt: now };
    await saveChange(deps, tx, next, { type: 'resolved-by-hand', by: user, detail: reason });
    return next;
  });
}
