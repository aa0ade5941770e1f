import { z } from 'zod';
import { textReply } from '../../cards/templates/incident-replies.ts';
import { formatIncidentId } from '../../core/alerts/incident.ts';
import { UserFacingError } from '../../core/errors.ts';
import { resolveIncidentByHand } from '../alerts/incident-actions.ts';
import { defineCommand, tokenize } from './command.ts';
import { resolveIncidentId } from './incident-ref.ts';

const USAGE = '/resolve [incident] <reason>';

/** `/resolve` arguments: an optional incident id first, the rest is the reason. */
const resolveArgs = z.object({ raw: z.string() }).transform(({ raw }) => {
  const tokens = tokenize(raw);
  const first = tokens[0];
  const named = first !== undefined && /^(inc-|#)?\d+$/i.test(first);
  return { incident: named ? first : undefined, reason: (named ? tokens.slice(1) : tokens).join(' ') };
});

/** `/resolve [INC-42] <reason>`: close an incident by hand, with the reason on record. */
export const resolveCommand = defineCommand({
  id: 'resolve',
  usage: USAGE,
  description: 'Resolve an incident by hand, with a reason (in its thread the id can be left out).',
  args: resolveArgs,
  async handle({ args, user, incidentId }, deps) {
    const id = resolveIncidentId(
      args.incident,
      incidentId,
      '/resolve INC-42 fixed by restarting the exporter',
    );
    if (!args.reason.trim())
      throw new UserFacingError(
        'RESOLVE_NEEDS_REASON',
        `Say why ${formatIncidentId(id)} is resolved, e.g. /resolve ${formatIncidentId(id)} node drained and replaced.`,
      );
    await resolveIncidentByHand(deps, id, user, args.reason);
    return textReply(`${formatIncidentId(id)} resolved by ${user.displayName}: ${args.reason}`, 'good');
  },
});
