import { isStormOver } from '../../core/alerts/storm.ts';
import { enqueueStormCard } from '../../core/outbox/enqueue.ts';
import type { IncidentOpsDeps } from './incident-actions.ts';

/**
 * Periodic: ends the active storm once no incident has folded into it for the quiet period, and
 * queues the card's final update. Afterwards new incidents get their own cards again. Idempotent
 * and safe on any replica (ending an ended storm changes nothing). Returns the ended storm's id.
 */
export async function endQuietStorm(deps: IncidentOpsDeps): Promise<number | undefined> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const storm = await tx.storms.current();
    if (!storm || !isStormOver(storm, deps.policy.storm, now)) return undefined;
    await tx.storms.end(storm.id, now);
    await enqueueStormCard(tx, deps.targets, storm.id, now);
    return storm.id;
  });
}
