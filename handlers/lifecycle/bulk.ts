import { formatIncidentId } from '../../core/alerts/incident.ts';
import { UserFacingError } from '../../core/errors.ts';
import { resolveIncidentId } from '../commands/incident-ref.ts';

/** The most incidents one command acts on (a storm's worth; more is a silence by labels). */
export const BULK_MAX = 200;

/**
 * The incidents a command names (`INC-8 INC-9`, `INC-8,INC-9`), or the thread's incident when it
 * names none. Each is checked like a single id, so a typo is named.
 */
export function incidentIdsOf(
  tokens: readonly string[],
  fromThread: number | undefined,
  usage: string,
): number[] {
  const named = tokens.flatMap((t) => t.split(',')).filter((t) => t !== '');
  if (named.length === 0) return [resolveIncidentId(undefined, fromThread, usage)];
  return [...new Set(named.map((t) => resolveIncidentId(t, undefined, usage)))];
}

/**
 * Runs one action per incident, each in its own transaction, and gathers the outcomes into one
 * reply: one line per incident, so a bulk command still answers once. An incident that fails
 * (unknown, already resolved) is named with its reason; the others go ahead. Faults propagate.
 */
export async function forEachIncident(
  ids: readonly number[],
  act: (id: number) => Promise<string>,
): Promise<{ lines: string[]; failed: number }> {
  const lines: string[] = [];
  let failed = 0;
  for (const id of ids) {
    try {
      lines.push(await act(id));
    } catch (err) {
      // Anything but a refusal is a fault: the dispatcher logs it with its reference.
      if (!(err instanceof UserFacingError)) throw err;
      failed++;
      lines.push(`${formatIncidentId(id)}: ${err.message}`);
    }
  }
  return { lines, failed };
}
