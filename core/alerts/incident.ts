import { z } from 'zod';
import { alertKind, alertResource, alertSource } from './alert.ts';

export const incidentTier = z.enum(['P1', 'P2', 'P3']);
export type IncidentTier = z.infer<typeof incidentTier>;

/** An incident: the alerts of one group, shown as one card that is updated in place. */
export const incident = z.object({
  id: z.number().int().positive(),
  /** Grouping key; at most one open incident per key. */
  groupKey: z.string(),
  source: alertSource,
  title: z.string(),
  kind: alertKind,
  /** The most urgent tier among its alerts. */
  tier: incidentTier,
  status: z.enum(['open', 'resolved']),
  /** Alerts of this incident resolved and fired again within the flap window. */
  flapping: z.boolean(),
  flapCount: z.number().int().nonnegative(),
  resource: alertResource,
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.number().nullable(),
  silenceId: z.number().int().nullable(),
  silencedBy: z.string().nullable(),
  silencedUntil: z.number().nullable(),
  openedAt: z.number(),
  updatedAt: z.number(),
  resolvedAt: z.number().nullable(),
  /**
   * When its alerts started and ended by the senders' own clocks (`startsAt`/`endsAt`,
   * `firedDateTime`/`resolvedDateTime`): what cards and durations show. `openedAt`/`resolvedAt` are
   * when the bot learnt of it. Absent on incidents stored before these were kept.
   */
  startedAt: z.number().nullable().optional(),
  endedAt: z.number().nullable().optional(),
  /** Who took command of it (`/own`), by the name people read; absent on older rows. */
  commander: z.string().nullable().optional(),
  /**
   * The alert storm it was folded into: its state shows on the storm card, it never gets a card of
   * its own. Read from the store; written only by the storm repo (`storms.fold`).
   */
  stormId: z.number().int().nullable().optional(),
  /** Bumped on every change; the card shows the state as of this version. */
  version: z.number().int().positive(),
});
export type Incident = z.infer<typeof incident>;

/** When the incident started by its senders' clocks, else when the bot opened it. */
export function incidentStart(i: Incident): number {
  return i.startedAt ?? i.openedAt;
}

/** When a resolved incident ended by its senders' clocks, else when the bot saw it resolve; null while open. */
export function incidentEnd(i: Incident): number | null {
  if (i.status !== 'resolved') return null;
  return i.endedAt ?? i.resolvedAt;
}

/** Shown as "INC-42" everywhere a person reads it. */
export function formatIncidentId(id: number): string {
  return `INC-${id}`;
}

/** Accepts `INC-42`, `inc-42`, `#42` or `42`. */
export function parseIncidentId(text: string): number | undefined {
  const m = /^(?:inc-|#)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

const TIER_RANK: Record<IncidentTier, number> = { P1: 1, P2: 2, P3: 3 };

/** The more urgent of two tiers. */
export function mostUrgentTier(a: IncidentTier, b: IncidentTier): IncidentTier {
  return TIER_RANK[a] <= TIER_RANK[b] ? a : b;
}
