import { parseIncidentId } from '../../core/alerts/incident.ts';
import { UserFacingError } from '../../core/errors.ts';

/** The incident a command or button is about: named explicitly, or the thread it was used in. */
export function resolveIncidentId(explicit: unknown, fromThread: number | undefined, usage: string): number {
  if (explicit !== undefined && explicit !== null && explicit !== '') {
    const id = typeof explicit === 'number' ? explicit : parseIncidentId(String(explicit));
    if (id === undefined || !Number.isInteger(id) || id <= 0) {
      throw new UserFacingError(
        'BAD_INCIDENT_ID',
        `"${String(explicit)}" is not an incident id; write it like INC-42.`,
      );
    }
    return id;
  }
  if (fromThread !== undefined) return fromThread;
  throw new UserFacingError(
    'NO_INCIDENT',
    `Which incident? Use it in the incident's thread, or write ${usage}.`,
  );
}
