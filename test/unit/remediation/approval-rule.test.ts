import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../../core/remediation/proposal.ts';
import { approvalRefusal, approvalTransition } from '../../../store/remediation/approval-rule.ts';
import { newProposal } from './remediation-repo-suite.ts';

const pending = (overrides: Partial<Proposal> = {}): Proposal => ({
  ...newProposal(),
  id: 7,
  approvers: [],
  status: 'pending',
  result: null,
  rollbackOf: null,
  updatedAt: 0,
  ...overrides,
});

describe('approval rule', () => {
  const p = pending();
  const attempt = { approver: 'console:bob', planHash: p.planHash, at: p.proposedAt + 1 };

  it('lets another person approve the plan they were shown while it is pending', () => {
    expect(approvalRefusal(p, attempt)).toBeUndefined();
  });

  it('refuses in order: not pending, expired, self-approval, changed plan', () => {
    const everythingWrong = { approver: p.proposedBy, planHash: 'other', at: p.expiresAt };
    expect(approvalRefusal(pending({ status: 'approved' }), everythingWrong)).toBe('NOT_PENDING');
    expect(approvalRefusal(p, everythingWrong)).toBe('EXPIRED');
    expect(approvalRefusal(p, { ...everythingWrong, at: attempt.at })).toBe('SELF_APPROVAL');
    expect(approvalRefusal(p, { ...attempt, planHash: 'other' })).toBe('PLAN_CHANGED');
  });

  it('never counts an agent (mcp:<name>) as an approver, whatever its groups', () => {
    expect(approvalRefusal(p, { ...attempt, approver: 'mcp:triage' })).toBe('AGENT_APPROVER');
    // Even an agent that is not the proposer of an agent's proposal.
    const byAgent = pending({ proposedBy: 'mcp:triage' });
    expect(approvalRefusal(byAgent, { ...attempt, approver: 'mcp:other' })).toBe('AGENT_APPROVER');
    expect(approvalRefusal(byAgent, attempt)).toBeUndefined();
  });

  it('approves once the required number of distinct people approved, naming them all', () => {
    const twoNeeded = pending({ requiredApprovals: 2 });
    expect(approvalTransition(twoNeeded, attempt)).toBeUndefined();
    const second = approvalTransition(
      { ...twoNeeded, approvers: ['console:bob'] },
      {
        ...attempt,
        approver: 'console:carol',
      },
    );
    expect(second).toMatchObject({
      from: ['pending'],
      to: 'approved',
      audit: {
        event: 'approved',
        actor: 'console:carol',
        detail: { approvers: ['console:bob', 'console:carol'] },
      },
    });
  });
});
