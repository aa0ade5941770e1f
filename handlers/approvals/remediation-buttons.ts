import { z } from 'zod';
import { textReply } from '../../cards/templates/incident-replies.ts';
import {
  REMEDIATION_VERBS,
  remediationProposalCard,
  shortHash,
} from '../../cards/templates/remediation-proposal.ts';
import { UserFacingError } from '../../core/errors.ts';
import { findAction, syncProposalCard, timeFormat } from '../../remediation/flow/deps.ts';
import type { RemediationService } from '../../remediation/flow/service.ts';
import { alreadyQueued, type ButtonHandler } from '../commands/command.ts';

const proposeData = z.object({
  action: z.string().min(1),
  /** JSON object of parameters (card data values must be scalars). */
  params: z.string().default('{}'),
  incidentId: z.coerce.number().int().positive().optional(),
  /** Set on "Propose rollback": the proposal the new one undoes. */
  rollbackOf: z.coerce.number().int().positive().optional(),
});
const approveData = z.object({ proposalId: z.coerce.number().int().positive(), planHash: z.string().min(1) });
const rejectData = z.object({ proposalId: z.coerce.number().int().positive() });

function parseData<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new UserFacingError(
      'BAD_BUTTON',
      'This button is out of date or malformed; use /remediate instead.',
    );
  return parsed.data;
}

function parseParams(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new UserFacingError(
    'BAD_BUTTON',
    'This button carries malformed parameters; use /remediate instead.',
  );
}

/** The Propose button (suggested remediations on incident cards, and "Propose rollback"). */
export function createProposeButton(service: RemediationService): ButtonHandler {
  return {
    verb: REMEDIATION_VERBS.propose,
    async handle({ data, user, place, incidentId }) {
      const d = parseData(proposeData, data);
      const proposal = await service.propose({
        actionId: d.action,
        params: parseParams(d.params),
        user,
        place,
        incidentId: d.incidentId ?? incidentId ?? null,
        rollbackOf: d.rollbackOf,
      });
      // The card is queued as a card the outbox edits at every step, not as a one-off reply.
      await syncProposalCard(service.deps, proposal);
      return alreadyQueued(
        remediationProposalCard(proposal, findAction(service.deps, d.action).title, timeFormat(service.deps)),
      );
    },
  };
}

/** The Approve button of a proposal card; binds the plan hash the card showed. */
export function createApproveButton(service: RemediationService): ButtonHandler {
  return {
    verb: REMEDIATION_VERBS.approve,
    async handle({ data, user }) {
      const d = parseData(approveData, data);
      const result = await service.approve({ proposalId: d.proposalId, planHash: d.planHash, user });
      const p = result.proposal;
      if (result.kind === 'recorded') {
        return textReply(
          `Remediation #${p.id}: approval ${p.approvers.length} of ${p.requiredApprovals} recorded (${user.displayName}). It needs another approver.`,
        );
      }
      return textReply(
        `Remediation #${p.id} approved by ${p.approvers.join(' and ')} (plan ${shortHash(p.planHash)}). Executing now; progress follows in this thread.`,
        'good',
      );
    },
  };
}

/** The Reject button of a proposal card. */
export function createRejectButton(service: RemediationService): ButtonHandler {
  return {
    verb: REMEDIATION_VERBS.reject,
    async handle({ data, user }) {
      const d = parseData(rejectData, data);
      const p = await service.reject({ proposalId: d.proposalId, user });
      return textReply(
        `Remediation #${p.id} (${p.actionId}) rejected by ${user.displayName}. Nothing was changed.`,
      );
    },
  };
}
