import { isAgentPrincipal } from '../../core/agent-principal.ts';
import type { AuditInput } from '../../core/remediation/audit.ts';
import type { Proposal } from '../../core/remediation/proposal.ts';
import type { ApprovalRefusal, Transition } from './remediation-repo.ts';

/** One approval attempt: `approver` approves the plan they were shown (`planHash`) at `at`. */
export interface ApprovalAttempt {
  approver: string;
  planHash: string;
  at: number;
}

/**
 * The four-eyes rule (two people: an agent never counts) and plan binding, once for both engines: why `attempt` may not count for
 * `p`, checked in this order, or undefined when it may. EXPIRED means the proposal is to be
 * expired instead; a DUPLICATE approver is found by the unique approval row, not here.
 */
export function approvalRefusal(p: Proposal, attempt: ApprovalAttempt): ApprovalRefusal | undefined {
  if (p.status !== 'pending') return 'NOT_PENDING';
  if (attempt.at >= p.expiresAt) return 'EXPIRED';
  if (attempt.approver === p.proposedBy) return 'SELF_APPROVAL';
  // Whatever a policy's groups hold: an approval is a person's four eyes, never an agent's.
  if (isAgentPrincipal(attempt.approver)) return 'AGENT_APPROVER';
  if (attempt.planHash !== p.planHash) return 'PLAN_CHANGED';
  return undefined;
}

/** The audit fields every record of an approval attempt on `p` carries. */
export function approvalAuditBase(p: Proposal, attempt: ApprovalAttempt): Omit<AuditInput, 'event'> {
  return {
    at: attempt.at,
    actor: attempt.approver,
    proposalId: p.id,
    incidentId: p.incidentId,
    actionId: p.actionId,
    planHash: attempt.planHash,
  };
}

/**
 * After `attempt` was recorded: pending → approved once enough distinct people approved, or
 * undefined while more approvals are needed.
 */
export function approvalTransition(p: Proposal, attempt: ApprovalAttempt): Transition | undefined {
  const approvers = [...p.approvers, attempt.approver];
  if (approvers.length < p.requiredApprovals) return undefined;
  return {
    from: ['pending'],
    to: 'approved',
    at: attempt.at,
    audit: { ...approvalAuditBase(p, attempt), event: 'approved', detail: { approvers } },
  };
}
