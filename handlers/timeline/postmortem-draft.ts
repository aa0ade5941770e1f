import { buildMessage } from '../../core/message.ts';
import type { Repos } from '../../core/store.ts';
import { requireIncident } from '../alerts/incident-actions.ts';
import { type BotModule, enrichCard } from '../module.ts';
import { readTimeline } from './incident-timeline.ts';
import { incidentTimes, LIFECYCLE_TYPES } from './lifecycle-times.ts';
import { buildPostmortem } from './postmortem.ts';

/** The most timeline events a draft lists (a storm's incident can have thousands of card updates). */
export const POSTMORTEM_EVENTS = 2_000;

/** Gathers an incident's records and builds its postmortem draft (Markdown) with its size. */
export async function draftPostmortem(
  repos: Repos,
  sources: readonly BotModule[],
  incidentId: number,
  options: { timeZone: string; now: number },
): Promise<{ markdown: string; events: number; renderMs: number }> {
  const started = performance.now();
  const incident = await requireIncident(repos, incidentId);
  const [alerts, window, lifecycle] = await Promise.all([
    repos.alerts.listByIncident(incidentId),
    readTimeline(repos, sources, incidentId, POSTMORTEM_EVENTS),
    repos.timeline.listOfTypes([incidentId], LIFECYCLE_TYPES),
  ]);
  // The evidence as the modules keep it for the card (vetted query results, GPU charts).
  const evidence = enrichCard(buildMessage({}), sources, incident, alerts, options.now).sections;
  const times = incidentTimes(incident, lifecycle);
  const markdown = buildPostmortem({
    incident,
    alerts,
    events: window.events,
    earlier: window.earlier,
    evidence,
    ackMs: times.ackMs,
    resolveMs: times.resolveMs,
    timeZone: options.timeZone,
  });
  return { markdown, events: window.events.length + window.earlier, renderMs: performance.now() - started };
}
