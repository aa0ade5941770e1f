import { z } from 'zod';
import { formatIncidentId, parseIncidentId } from '../../core/alerts/incident.ts';
import { AppError, UserFacingError } from '../../core/errors.ts';
import type { ChannelTarget } from '../../core/outbox/enqueue.ts';
import type { ReplyPlace } from '../../core/remediation/proposal.ts';
import type { Store } from '../../core/store.ts';
import type { RemediationModule } from '../approvals/remediation-module.ts';
import type { AgentTool } from './agent-tool.ts';
import { incidentRef } from './incident-tools.ts';

/** The incident's thread: where its card is posted on the first target that has it, else the channel. */
async function incidentThread(
  store: Store,
  targets: readonly ChannelTarget[],
  incidentId: number,
): Promise<ReplyPlace> {
  for (const t of targets) {
    const card = await store.chatMessages.getIncidentCard(incidentId, t.surface);
    if (card) return { surface: t.surface, channel: t.channel, thread: card };
  }
  const first = targets[0];
  if (!first) throw new AppError('NO_CHAT_TARGET', 'no chat surface is configured to post proposals in');
  return { surface: first.surface, channel: first.channel, thread: null };
}

/**
 * `propose_remediation`: proposes exactly as `/remediate` does (who may propose, guardrails, rate
 * limits, plan, server-side dry run, audit record with the agent's principal), and posts the
 * proposal card in the incident's thread, where people approve it. The agent is the proposer, so
 * it could not approve its own proposal even if it could approve; it can never approve at all.
 */
export function proposeTool(options: {
  remediation: Pick<RemediationModule, 'propose' | 'actions'>;
  store: Store;
  targets: readonly ChannelTarget[];
}): AgentTool {
  const ids = options.remediation.actions.map((a) => a.id);
  const [first, ...rest] = ids;
  if (first === undefined) throw new AppError('NO_ACTIONS', 'propose_remediation needs at least one action');
  const input = z.strictObject({
    incident: incidentRef,
    action: z.enum([first, ...rest]).describe('The remediation to propose.'),
    params: z
      .record(z.string().max(64), z.union([z.string().max(200), z.number(), z.boolean()]))
      .default({})
      .describe("The action's parameters; get_incident lists the ones its card suggests."),
  });
  const actions = options.remediation.actions
    .map((a) => `${a.id} (${a.risk} risk): ${a.description}`)
    .join(' ');
  return {
    name: 'propose_remediation',
    title: 'Propose a remediation for people to approve',
    description: `Proposes a remediation for an incident, exactly as /remediate in chat: the bot plans it, runs a server-side dry run and posts the proposal in the incident's thread, where people approve it (two for a P1 or a high-risk action). Nothing changes until they do; an agent can never approve. Actions: ${actions}`,
    input,
    readOnly: false,
    work: 'propose',
    async run(args, agent) {
      const parsed = input.parse(args);
      const incidentId = parseIncidentId(parsed.incident)!;
      if (!(await options.store.incidents.get(incidentId)))
        throw new UserFacingError('UNKNOWN_INCIDENT', `There is no ${formatIncidentId(incidentId)}.`);
      const place = await incidentThread(options.store, options.targets, incidentId);
      const { proposal: p } = await options.remediation.propose({
        actionId: parsed.action,
        params: parsed.params,
        user: agent,
        place,
        incidentId,
      });
      return {
        structured: {
          proposal: {
            id: p.id,
            incident: formatIncidentId(incidentId),
            action: p.actionId,
            status: p.status,
            tier: p.tier,
            risk: p.risk,
            summary: p.plan.summary,
            diff: p.plan.diff,
            dryRun: p.dryRun,
            planHash: p.planHash,
            proposedBy: p.proposedBy,
            requiredApprovals: p.requiredApprovals,
            approvers: p.approvers,
            expiresAt: new Date(p.expiresAt).toISOString(),
          },
          postedTo: { surface: place.surface, channel: place.channel, thread: place.thread?.id ?? null },
        },
        text: `Remediation #${p.id} (${p.actionId}) proposed for ${formatIncidentId(incidentId)}: ${p.plan.summary}. It is ${p.status}, waiting for ${p.requiredApprovals} approval${p.requiredApprovals === 1 ? '' : 's'} by people in the incident's thread; nothing changes until then.`,
      };
    },
  };
}
