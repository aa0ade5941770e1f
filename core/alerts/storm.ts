import { z } from 'zod';
import { alertKind, alertResource, tier } from './alert.ts';
import { type IncidentTier, incidentTier } from './incident.ts';

/**
 * An alert storm: a stretch of time in which incidents opened faster than the policy's threshold.
 * Its incidents share one card, updated in place, instead of one card each.
 */
export const storm = z.object({
  id: z.number().int().positive(),
  startedAt: z.number(),
  /** When the last incident folded into it opened; the storm ends after a quiet period. */
  lastIncidentAt: z.number(),
  endedAt: z.number().nullable(),
});
export type Storm = z.infer<typeof storm>;

/** What the storm card shows of each of its incidents. */
export const stormIncident = z.object({
  id: z.number().int().positive(),
  title: z.string(),
  kind: alertKind,
  tier: incidentTier,
  status: z.enum(['open', 'resolved']),
  resource: alertResource,
  openedAt: z.number(),
  /** Who acknowledged it (platform-qualified), if anybody: the storm card counts and names them. */
  acknowledgedBy: z.string().nullable().default(null),
  /** The silence it is under, if any. */
  silenceId: z.number().int().nullable().default(null),
});
export type StormIncident = z.infer<typeof stormIncident>;

/** The storm section of the policy file. */
export const stormPolicySchema = z
  .object({
    threshold: z.number().int().min(0).max(10_000).default(10),
    windowSeconds: z.number().int().min(1).max(86_400).default(120),
    quietSeconds: z.number().int().min(1).max(86_400).default(300),
    /** Tiers that always get their own card, storm or not. */
    exemptTiers: z.array(tier.exclude(['log'])).default(['P1']),
  })
  .strict();
export type StormPolicy = z.infer<typeof stormPolicySchema>;

/**
 * Whether a newly opened incident folds into a storm instead of getting its own card: never for
 * an exempt tier, always while a storm is active, otherwise when more than `threshold` incidents
 * (this one included) opened within the window.
 */
export function shouldFoldIntoStorm(input: {
  policy: StormPolicy;
  tier: IncidentTier;
  stormActive: boolean;
  openedInWindow: number;
}): boolean {
  const { policy } = input;
  if (policy.threshold === 0) return false;
  if (policy.exemptTiers.includes(input.tier)) return false;
  return input.stormActive || input.openedInWindow > policy.threshold;
}

/** Whether an active storm has been quiet long enough to end. */
export function isStormOver(s: Storm, policy: StormPolicy, now: number): boolean {
  return s.endedAt === null && now - s.lastIncidentAt >= policy.quietSeconds * 1000;
}
