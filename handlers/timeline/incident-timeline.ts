import type { NewTimelineEvent } from '../../core/alerts/timeline.ts';
import type { Repos } from '../../core/store.ts';
import type { BotModule } from '../module.ts';

/** An incident's latest events, oldest first, and how many came before them. */
export interface TimelineWindow {
  events: NewTimelineEvent[];
  earlier: number;
}

/**
 * The store's timeline of an incident merged with what modules keep in their own records (the
 * remediation audit), in time order; the latest `limit` of them.
 */
export async function readTimeline(
  repos: Repos,
  sources: readonly BotModule[],
  incidentId: number,
  limit: number,
): Promise<TimelineWindow> {
  const [own, ...kept] = await Promise.all([
    repos.timeline.list(incidentId, limit),
    ...sources.map((m) => m.timelineOf?.(incidentId) ?? Promise.resolve([])),
  ]);
  const extra = kept.flat();
  // Stable: events at the same millisecond keep the store's order, then the modules'.
  const merged = [...own.events, ...extra].sort((a, b) => a.at - b.at);
  const events = merged.slice(-limit);
  return { events, earlier: own.total + extra.length - events.length };
}
