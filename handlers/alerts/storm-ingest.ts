import type { IncidentTier } from '../../core/alerts/incident.ts';
import { type StormPolicy, shouldFoldIntoStorm } from '../../core/alerts/storm.ts';
import type { Repos } from '../../core/store.ts';

/**
 * Intake's storm step, inside the transaction that opened the incident: folds the new incident
 * into the active storm, or starts one when incidents open faster than the policy allows.
 * Returns the storm's id, or null when the incident gets a card of its own.
 *
 * The count includes incidents of this very transaction, so a group commit carrying a whole storm
 * decides exactly as one request per alert would. Replicas racing to start a storm collide on the
 * one-active-storm index; the loser's transaction re-runs and joins the winner's storm.
 */
export async function foldIntoStorm(
  tx: Repos,
  policy: StormPolicy,
  incident: { id: number; tier: IncidentTier },
  now: number,
): Promise<number | null> {
  if (policy.threshold === 0 || policy.exemptTiers.includes(incident.tier)) return null;
  const active = await tx.storms.current();
  const openedInWindow = active ? 0 : await tx.incidents.countOpenedSince(now - policy.windowSeconds * 1000);
  if (
    !shouldFoldIntoStorm({ policy, tier: incident.tier, stormActive: active !== undefined, openedInWindow })
  ) {
    return null;
  }
  const storm = active ?? (await tx.storms.open(now));
  await tx.storms.fold(storm.id, incident.id, now);
  return storm.id;
}
