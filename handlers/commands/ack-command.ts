import { z } from 'zod';
import { textReply } from '../../cards/templates/incident-replies.ts';
import { acknowledgeIncident } from '../alerts/incident-actions.ts';
import { BULK_MAX, forEachIncident, incidentIdsOf } from '../lifecycle/bulk.ts';
import { unacknowledgeIncident } from '../lifecycle/lifecycle-actions.ts';
import { type ButtonHandler, defineCommand } from './command.ts';
import { resolveIncidentId } from './incident-ref.ts';

const USAGE = '/ack INC-42';
const incidents = z.object({
  positional: z.array(z.string()).max(BULK_MAX, `name at most ${BULK_MAX} incidents at once`),
});

/** One reply for one or several incidents; a warning when some could not be done. */
function bulkReply(result: { lines: string[]; failed: number }) {
  return textReply(result.lines.join('\n'), result.failed > 0 ? 'warning' : 'good');
}

/** `/ack [INC-42 …]`: acknowledge incidents (in an incident's thread, the id may be left out). */
export const ackCommand = defineCommand({
  id: 'ack',
  usage: '/ack [incident…]',
  description: 'Acknowledge one or more incidents (/ack INC-8 INC-9); in its thread the id can be left out.',
  args: incidents,
  async handle({ args, user, incidentId }, deps) {
    const ids = incidentIdsOf(args.positional, incidentId, USAGE);
    return bulkReply(await forEachIncident(ids, (id) => acknowledgeIncident(deps, id, user)));
  },
});

/** `/unack [INC-42 …]`: withdraw acknowledgements; the incidents need acknowledging again. */
export const unackCommand = defineCommand({
  id: 'unack',
  usage: '/unack [incident…]',
  description: 'Withdraw an acknowledgement, so the incident asks for one again (and paging resumes).',
  args: incidents,
  async handle({ args, user, incidentId }, deps) {
    const ids = incidentIdsOf(args.positional, incidentId, '/unack INC-42');
    return bulkReply(await forEachIncident(ids, (id) => unacknowledgeIncident(deps, id, user)));
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
