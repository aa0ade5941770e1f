import { incidentCard } from '../../cards/templates/incident-card.ts';
import type { AlertPolicy } from '../../core/alerts/alert-policy.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import type { Message } from '../../core/message.ts';
import type { Repos } from '../../core/store.ts';
import { type BotModule, enrichCard } from '../module.ts';

const PAGING_STEPS = ['paged', 'escalated'] as const;

/** Renders an incident's card as of now, from the store; undefined when the incident is gone. */
export type IncidentCardRenderer = (
  repos: Repos,
  incidentId: number,
  now: number,
) => Promise<{ incident: Incident; message: Message } | undefined>;

/** The one way an incident card is rendered: the template, then every module's enrichment. */
export function createIncidentCardRenderer(
  policy: AlertPolicy,
  modules: readonly BotModule[] = [],
): IncidentCardRenderer {
  return async (repos, incidentId, now) => {
    const incident = await repos.incidents.get(incidentId);
    if (!incident) return undefined;
    const alerts = await repos.alerts.listByIncident(incidentId);
    // P1 and P2 cards say whom paging reached: the latest paged or escalated step of the timeline.
    const paging =
      incident.tier === 'P3'
        ? undefined
        : (await repos.timeline.listOfTypes([incidentId], PAGING_STEPS)).at(-1);
    const card = incidentCard({ incident, alerts, time: { timeZone: policy.timeZone, now }, paging });
    // Resolved incidents keep their evidence but offer no more actions.
    let message = enrichCard(card, modules, incident, alerts, now);
    for (const m of modules) {
      const extra = await m.incidentCardRecords?.(incident, now);
      if (extra)
        message = {
          ...message,
          sections: [...message.sections, ...(extra.sections ?? [])],
          actions: [...message.actions, ...(extra.actions ?? [])],
        };
    }
    return { incident, message: incident.status === 'resolved' ? { ...message, actions: [] } : message };
  };
}
