import type { ChatUser } from '../../core/chat-surface.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { Proposal } from '../../core/remediation/proposal.ts';
import { isAllowed, ruleFor } from '../policy.ts';
import { logRemediationStep, type RemediationDeps, requireEnabled, syncProposalCard } from './deps.ts';

const REFUSALS = {
  UNKNOWN: 'There is no such remediation proposal.',
  SELF_APPROVAL: 'You proposed this remediation; someone else must approve it (four-eyes).',
  AGENT_APPROVER: 'An agent (MCP client) can never approve a remediation; people approve it in chat.',
  DUPLICATE: 'You already approved this remediation; it needs another person.',
  NOT_PENDING: 'This remediation is no longer waiting for approval',
  EXPIRED: 'This proposal expired before it was approved. Propose it again to get a fresh plan.',
  PLAN_CHANGED: 'The plan changed since this card was shown; approve the current card instead.',
} as const;

export type ApproveResult =
  | { kind: 'recorded'; proposal: Proposal }
  | { kind: 'approved'; proposal: Proposal };

/** The principals who may approve a proposal: per tier if the policy says so, else per action. */
export function approversFor(deps: RemediationDeps, p: Proposal): readonly string[] {
  const rule = ruleFor(deps.policy, p.actionId);
  return rule.approveByTier[p.tier] ?? rule.approve;
}

/**
 * Records one approval. Authorisation comes from the policy; four-eyes, expiry, the plan hash
 * and "one approval per person" are enforced by the store in the same transaction that counts.
 */
export async function approveRemediation(
  deps: RemediationDeps,
  input: { proposalId: number; planHash: string; user: ChatUser },
): Promise<ApproveResult> {
  await requireEnabled(deps);
  const p = await deps.repo.getProposal(input.proposalId);
  if (!p) throw new UserFacingError('UNKNOWN_PROPOSAL', REFUSALS.UNKNOWN);
  if (!isAllowed(deps.policy, input.user.id, approversFor(deps, p))) {
    await deps.repo.appendAudit({
      at: deps.clock.now(),
      actor: input.user.id,
      event: 'approval-refused',
      proposalId: p.id,
      incidentId: p.incidentId,
      actionId: p.actionId,
      planHash: input.planHash,
      result: 'NOT_AUTHORISED',
    });
    throw new UserFacingError(
      'NOT_AUTHORISED',
      `${input.user.id} may not approve ${p.actionId} for a ${p.tier} incident. Ask someone in ${approversFor(deps, p).join(', ')}.`,
    );
  }
  const outcome = await deps.repo.recordApproval({
    proposalId: p.id,
    approver: input.user.id,
    planHash: input.planHash,
    at: deps.clock.now(),
  });
  if (outcome.kind === 'refused') {
    // An approval that came too late expired the proposal: its card says so now.
    if (outcome.code === 'EXPIRED' && outcome.proposal) await syncProposalCard(deps, outcome.proposal);
    const text = REFUSALS[outcome.code];
    throw new UserFacingError(
      outcome.code,
      outcome.code === 'NOT_PENDING' ? `${text} (it is ${outcome.proposal?.status}).` : text,
    );
  }
  await syncProposalCard(deps, outcome.proposal);
  await logRemediationStep(
    deps,
    outcome.kind === 'approved' ? 'approved' : 'approval-recorded',
    outcome.proposal,
    input.user.id,
  );
  return outcome;
}

/** Rejects a pending proposal (anyone allowed to approve it may reject it, the proposer too). */
export async function rejectRemediation(
  deps: RemediationDeps,
  input: { proposalId: number; user: ChatUser; reason?: string },
): Promise<Proposal> {
  const p = await deps.repo.getProposal(input.proposalId);
  if (!p) throw new UserFacingError('UNKNOWN_PROPOSAL', REFUSALS.UNKNOWN);
  const allowed =
    input.user.id === p.proposedBy || isAllowed(deps.policy, input.user.id, approversFor(deps, p));
  if (!allowed) throw new UserFacingError('NOT_AUTHORISED', `${input.user.id} may not reject ${p.actionId}.`);
  const at = deps.clock.now();
  const moved = await deps.repo.transition(p.id, {
    from: ['pending'],
    to: 'rejected',
    at,
    audit: {
      at,
      actor: input.user.id,
      event: 'rejected',
      proposalId: p.id,
      incidentId: p.incidentId,
      actionId: p.actionId,
      planHash: p.planHash,
      result: 'rejected',
      detail: { reason: input.reason ?? '' },
    },
  });
  if (!moved) throw new UserFacingError('NOT_PENDING', `${REFUSALS.NOT_PENDING} (it is ${p.status}).`);
  await syncProposalCard(deps, moved);
  await logRemediationStep(deps, 'rejected', moved, input.user.id);
  return moved;
}
