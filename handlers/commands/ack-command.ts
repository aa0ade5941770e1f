import { z } from 'zod';
import { textReply } from '../../cards/templates/incident-replies.ts';
import { acknowledgeIncident } from '../alerts/incident-actions.ts';
import { type ButtonHandler, defineCommand } from './command.ts';
import { resolveIncidentId } from './incident-ref.ts';

const USAGE = '/ack INC-42';

/** `/ack [INC-42]`: acknowledge an incident (in its thread, the id may be left out). */
export const ackCommand = defineCommand({
  id: 'ack',
  usage: '/ack [incident]',
  description: 'Acknowledge an incident; in its thread the id can be left out.',
  args: z.object({ positional: z.array(z.string()).max(1) }),
  async handle({ args, user, incidentId }, deps) {
    const id = resolveIncidentId(args.positional[0], incidentId, USAGE);
    return textReply(await acknowledgeIncident(deps, id, user), 'good');
  },
});

/** The Acknowledge button on an incident card. */
export const ackButton: ButtonHandler = {
  verb: 'ack',
  async handle({ data, user, incidentId }, deps) {
    const id = resolveIncidentId(data.incidentId, incidentId, USAGE);
    return textReply(await acknowledgeIncident(deps, id, user), 'good');
  },
};
