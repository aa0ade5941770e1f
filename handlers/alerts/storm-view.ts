import type { Policy } from '../../bot/policy.ts';
import type { Message } from '../../cards/model.ts';
import { stormCard } from '../../cards/templates/storm-card.ts';
import type { Repos } from '../../store/store.ts';

/** Renders a storm's card as of now, from the store; undefined when the storm is gone. */
export type StormCardRenderer = (repos: Repos, stormId: number, now: number) => Promise<Message | undefined>;

/** The one way a storm card is rendered. */
export function createStormCardRenderer(policy: Pick<Policy, 'timeZone'>): StormCardRenderer {
  return async (repos, stormId, now) => {
    const storm = await repos.storms.get(stormId);
    if (!storm) return undefined;
    const incidents = await repos.storms.listIncidents(stormId);
    return stormCard({ storm, incidents, time: { timeZone: policy.timeZone, now } });
  };
}
