import { stormCard } from '../../cards/templates/storm-card.ts';
import type { AlertPolicy } from '../../core/alerts/alert-policy.ts';
import type { Message } from '../../core/message.ts';
import type { Repos } from '../../core/store.ts';

/** Renders a storm's card as of now, from the store; undefined when the storm is gone. */
export type StormCardRenderer = (repos: Repos, stormId: number, now: number) => Promise<Message | undefined>;

/** The one way a storm card is rendered. */
export function createStormCardRenderer(policy: Pick<AlertPolicy, 'timeZone'>): StormCardRenderer {
  return async (repos, stormId, now) => {
    const storm = await repos.storms.get(stormId);
    if (!storm) return undefined;
    const incidents = await repos.storms.listIncidents(stormId);
    return stormCard({ storm, incidents, time: { timeZone: policy.timeZone, now } });
  };
}
