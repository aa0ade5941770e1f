import { z } from 'zod';
import { timelineCard } from '../../cards/templates/timeline-card.ts';
import { requireIncident } from '../alerts/incident-actions.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import { resolveIncidentId } from '../commands/incident-ref.ts';
import type { BotModule } from '../module.ts';
import { readTimeline } from './incident-timeline.ts';
import { incidentTimes, LIFECYCLE_TYPES } from './lifecycle-times.ts';

/** Lines a timeline shows in chat; older events are counted in a "… N earlier" line. */
export const TIMELINE_LINES = 30;

/** `/timeline [incident]`: what happened to an incident, who did it and when, newest last. */
export function createTimelineCommand(sources: () => readonly BotModule[]): CommandHandler {
  return defineCommand({
    id: 'timeline',
    usage: '/timeline [incident]',
    description:
      'What happened to an incident, who did what and when (in its thread the id can be left out).',
    args: z.object({ positional: z.array(z.string()).max(1) }),
    async handle({ args, incidentId }, deps) {
      const id = resolveIncidentId(args.positional[0], incidentId, '/timeline INC-42');
      const incident = await requireIncident(deps.store, id);
      const [window, lifecycle] = await Promise.all([
        readTimeline(deps.store, sources(), id, TIMELINE_LINES),
        deps.store.timeline.listOfTypes([id], LIFECYCLE_TYPES),
      ]);
      const times = incidentTimes(incident, lifecycle);
      return timelineCard({
        incident,
        events: window.events,
        earlier: window.earlier,
        ackMs: times.ackMs,
        resolveMs: times.resolveMs,
        time: { timeZone: deps.policy.timeZone, now: deps.clock.now() },
      });
    },
  });
}
