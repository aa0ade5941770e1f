import { z } from 'zod';
import { textReply } from '../../cards/templates/incident-replies.ts';
import { takeCommand } from '../lifecycle/lifecycle-actions.ts';
import { defineCommand } from './command.ts';
import { resolveIncidentId } from './incident-ref.ts';

/** `/own [INC-42]`: become the incident commander; the card names them. */
export const ownCommand = defineCommand({
  id: 'own',
  usage: '/own [incident]',
  description: 'Become the incident commander (shown on the card); in its thread the id can be left out.',
  args: z.object({ positional: z.array(z.string()).max(1) }),
  async handle({ args, user, incidentId }, deps) {
    const id = resolveIncidentId(args.positional[0], incidentId, '/own INC-42');
    return textReply(await takeCommand(deps, id, user), 'good');
  },
});
