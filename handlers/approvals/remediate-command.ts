import { z } from 'zod';
import { remediationProposalCard } from '../../cards/templates/remediation-proposal.ts';
import { parseIncidentId } from '../../core/alerts/incident.ts';
import { UserFacingError } from '../../core/errors.ts';
import { buildMessage, type Message } from '../../core/message.ts';
import type { Proposal } from '../../core/remediation/proposal.ts';
import { findAction, syncProposalCard, timeFormat } from '../../remediation/flow/deps.ts';
import type { ProposeInput } from '../../remediation/flow/propose.ts';
import type { RemediationService } from '../../remediation/flow/service.ts';
import { alreadyQueued, type CommandHandler, defineCommand } from '../commands/command.ts';

/**
 * Proposes a remediation and queues its card in the proposal's place (posted there, then edited
 * at every step): the one path of `/remediate` and of agents' `propose_remediation`.
 */
export async function proposeAndPost(
  service: RemediationService,
  input: ProposeInput,
): Promise<{ proposal: Proposal; card: Message }> {
  const { deps } = service;
  const action = findAction(deps, input.actionId);
  const proposal = await service.propose(input);
  await syncProposalCard(deps, proposal);
  return { proposal, card: remediationProposalCard(proposal, action.title, timeFormat(deps)) };
}

/** Chat lower-cases option names; give them back the case of the action's parameters. */
function restoreCase(named: Record<string, string>, schema: z.ZodType): Record<string, string> {
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return Object.fromEntries(
    Object.entries(named).map(([k, v]) => [keys.find((key) => key.toLowerCase() === k) ?? k, v]),
  );
}

/** `/remediate <action> [key=value…] [incident=INC-4]`: propose one remediation by hand. */
export function createRemediateCommand(service: RemediationService): CommandHandler {
  const { deps } = service;
  return defineCommand({
    id: 'remediate',
    usage: '/remediate <action> [key=value…]',
    description:
      'Propose a remediation (plan, dry run, rollback) for approval; without arguments, list them.',
    args: z.object({ positional: z.array(z.string()).max(1), named: z.record(z.string(), z.string()) }),
    async handle({ args, user, place, incidentId }) {
      const actionId = args.positional[0];
      if (!actionId) {
        return buildMessage({
          header: { title: 'Remediations' },
          sections: [
            {
              kind: 'table',
              columns: ['Action', 'What it does', 'Risk'],
              rows: deps.actions.map((a) => [a.id, a.description, a.risk]),
            },
            {
              kind: 'text',
              text: 'Propose one with /remediate <action> key=value …, e.g. /remediate scale-replicas deployment=llm-api replicas=6',
            },
          ],
        });
      }
      const { incident, ...params } = args.named;
      let target = incidentId ?? null;
      if (incident !== undefined) {
        const id = parseIncidentId(incident);
        if (id === undefined)
          throw new UserFacingError(
            'BAD_INCIDENT_ID',
            `"${incident}" is not an incident id; write it like INC-42.`,
          );
        target = id;
      }
      const action = findAction(deps, actionId);
      const { card } = await proposeAndPost(service, {
        actionId,
        params: restoreCase(params, action.params),
        user,
        place,
        incidentId: target,
      });
      return alreadyQueued(card);
    },
  });
}
