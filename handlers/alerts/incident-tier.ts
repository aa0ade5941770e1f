import { type IncidentTier, mostUrgentTier } from '../../core/alerts/incident.ts';
import type { StoredAlert } from '../../core/store.ts';

/**
 * The tier an open incident has when its tier follows its firing alerts: the most urgent tier
 * among them. XID alerts count together while any of them fires: the exporter's XID gauge holds
 * one value, so XID 48's alert "resolves" the moment XID 63 replaces it, yet the 48 still
 * happened. With the tier comes the alert the card should be titled after. Undefined when nothing
 * fires (a resolved incident keeps the tier and title it had).
 */
export function firingTier(
  alerts: readonly StoredAlert[],
): { tier: IncidentTier; lead: StoredAlert } | undefined {
  const firing = (s: StoredAlert) => s.alert.status === 'firing';
  const xidFiring = alerts.some((s) => firing(s) && s.alert.kind === 'gpu-xid');
  let best: { tier: IncidentTier; lead: StoredAlert } | undefined;
  for (const s of alerts) {
    if (s.alert.tier === 'log' || !firing(s)) {
      if (!(xidFiring && s.alert.kind === 'gpu-xid' && s.alert.tier !== 'log')) continue;
    }
    const tier = s.alert.tier as IncidentTier;
    // The lead is a firing alert of that tier when there is one: the card is titled after it.
    if (
      !best ||
      mostUrgentTier(best.tier, tier) !== best.tier ||
      (tier === best.tier && firing(s) && !firing(best.lead))
    )
      best = { tier, lead: s };
  }
  return best;
}
