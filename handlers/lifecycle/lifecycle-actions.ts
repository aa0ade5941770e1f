import { formatIncidentId } from '../../core/alerts/incident.ts';
import type { Silence } from '../../core/alerts/silence.ts';
import type { ChatUser } from '../../core/chat-surface.ts';
import { formatDuration } from '../../core/duration.ts';
import { UserFacingError } from '../../core/errors.ts';
import { type IncidentOpsDeps, requireIncident, saveChange } from '../alerts/incident-actions.ts';

/** `/unack`: withdraws an acknowledgement; the incident asks for one again (and paging resumes). */
export async function unacknowledgeIncident(
  deps: IncidentOpsDeps,
  id: number,
  user: ChatUser,
): Promise<string> {
  return deps.store.transaction(async (tx) => {
    const incident = await requireIncident(tx, id);
    const name = formatIncidentId(id);
    if (incident.status === 'resolved')
      throw new UserFacingError('INCIDENT_RESOLVED', `${name} is already resolved.`);
    if (!incident.acknowledgedBy) return `${name} is not acknowledged.`;
    await saveChange(
      deps,
      tx,
      { ...incident, acknowledgedBy: null, acknowledgedAt: null },
      { type: 'unacknowledged', by: user, detail: `was acknowledged by ${incident.acknowledgedBy}` },
    );
    return `${name}: acknowledgement by ${incident.acknowledgedBy} withdrawn by ${user.displayName}; it needs acknowledging again.`;
  });
}

/** `/own`: the user becomes the incident commander, shown on the card; taking over is recorded. */
export async function takeCommand(deps: IncidentOpsDeps, id: number, user: ChatUser): Promise<string> {
  return deps.store.transaction(async (tx) => {
    const incident = await requireIncident(tx, id);
    const name = formatIncidentId(id);
    if (incident.status === 'resolved')
      throw new UserFacingError('INCIDENT_RESOLVED', `${name} is already resolved.`);
    const previous = incident.commander ?? null;
    if (previous === user.displayName) return `${user.displayName} is already the commander of ${name}.`;
    await saveChange(
      deps,
      tx,
      { ...incident, commander: user.displayName },
      { type: 'owned', by: user, detail: previous ? `took over from ${previous}` : '' },
    );
    return previous
      ? `${user.displayName} took over ${name} from ${previous} as incident commander.`
      : `${user.displayName} is the incident commander of ${name}.`;
  });
}

/**
 * `/silences extend`: moves a silence's end `byMs` later (from its current end), within the
 * policy's longest silence from now; the incidents it covers show the new end.
 */
export async function extendSilence(
  deps: IncidentOpsDeps,
  silenceId: number,
  byMs: number,
  user: ChatUser,
): Promise<{ silence: Silence; incidentIds: number[] }> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const silence = await tx.silences.get(silenceId);
    if (!silence || silence.expiredAt !== null || silence.endsAt <= now)
      throw new UserFacingError(
        'SILENCE_NOT_ACTIVE',
        `Silence #${silenceId} is not active; type /silences to see the active ones.`,
      );
    const endsAt = silence.endsAt + byMs;
    const max = deps.policy.silences.maxDuration;
    if (endsAt - now > max)
      throw new UserFacingError(
        'SILENCE_TOO_LONG',
        `Silences last at most ${formatDuration(max)} from now; #${silenceId} ends in ${formatDuration(silence.endsAt - now)}.`,
      );
    if (!(await tx.silences.extend(silenceId, endsAt, now)))
      throw new UserFacingError('SILENCE_NOT_ACTIVE', `Silence #${silenceId} is not active.`);
    const incidentIds: number[] = [];
    for (const incident of await tx.incidents.listOpen(10_000)) {
      if (incident.silenceId !== silenceId) continue;
      await saveChange(
        deps,
        tx,
        { ...incident, silencedUntil: endsAt },
        {
          type: 'silence-extended',
          by: user,
          detail: `silence #${silenceId} until ${new Date(endsAt).toISOString()}`,
        },
      );
      incidentIds.push(incident.id);
    }
    return { silence: { ...silence, endsAt }, incidentIds };
  });
}
