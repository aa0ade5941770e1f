import { formatIncidentId } from '../../core/alerts/incident.ts';
import { buildMessage, type Message, type MessageStatus, type Section } from '../../core/message.ts';
import type { Proposal, ProposalStatus } from '../../core/remediation/proposal.ts';
import { cardTime, type TimeFormat } from './format.ts';

/** Button verbs of remediation cards; the approval handlers answer them. */
export const REMEDIATION_VERBS = {
  propose: 'remediation-propose',
  approve: 'remediation-approve',
  reject: 'remediation-reject',
} as const;

const STATUS: Record<ProposalStatus, { status: MessageStatus; word: string }> = {
  pending: { status: 'pending', word: 'Awaiting approval' },
  approved: { status: 'info', word: 'Approved' },
  rejected: { status: 'resolved', word: 'Rejected' },
  expired: { status: 'resolved', word: 'Expired' },
  void: { status: 'warning', word: 'Void: approval no longer valid' },
  executing: { status: 'info', word: 'Executing' },
  succeeded: { status: 'success', word: 'Done and verified' },
  failed: { status: 'error', word: 'Failed' },
  'verify-failed': { status: 'error', word: 'Applied, verification failed' },
  'rolled-back': { status: 'resolved', word: 'Rolled back' },
};

/** What the card says about what is left to do, per state. */
function nextStep(p: Proposal): string {
  switch (p.status) {
    case 'pending':
      return `Needs ${p.requiredApprovals - p.approvers.length} more approval${p.requiredApprovals - p.approvers.length === 1 ? '' : 's'}; nothing runs before.`;
    case 'approved':
      return 'Approved; execution starts now.';
    case 'executing':
      return 'Executing; progress follows in this thread.';
    case 'succeeded':
      return 'Applied and verified.';
    case 'rejected':
      return 'Rejected; nothing was changed.';
    case 'expired':
      return 'Expired before enough approvals; nothing was changed. Propose it again for a fresh plan.';
    case 'void':
      return 'The approval became void; nothing was applied by this proposal.';
    case 'failed':
      return 'Failed; check the target. A rollback can be proposed from the thread.';
    case 'verify-failed':
      return 'Applied, but verification failed; a rollback can be proposed from the thread.';
    case 'rolled-back':
      return 'Undone by its verified rollback.';
  }
}

/** Optional card context: the audit chain's head, shown so it is kept outside the database. */
export interface ProposalCardContext {
  auditHead?: { seq: number; hash: string } | undefined;
  /** Why an unattended run needed nobody's approval: its `auto-approved` audit record's detail. */
  unattended?: Record<string, unknown> | undefined;
}

/** "unattended: 5 approved runs in a row for alertmanager/GpuHot verified (last approved by bob)". */
function unattendedApproval(why: Record<string, unknown>): string {
  if (typeof why.rollbackOf === 'number') return `unattended: automatic rollback of #${why.rollbackOf}`;
  return `unattended: ${String(why.runs)} approved runs in a row for ${String(why.rule)} verified (last approved by ${String(why.lastApprover ?? 'nobody')})`;
}

/** "12/ab34cd56ef78": short enough to read out, long enough to tell plans apart. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/**
 * The proposal card posted in the incident thread: what will change (current → desired), the
 * server-side dry run, the rollback, who must approve, and Approve/Reject while it is pending.
 */
export function remediationProposalCard(
  p: Proposal,
  actionTitle: string,
  tf: TimeFormat,
  context: ProposalCardContext = {},
): Message {
  const s = STATUS[p.status];
  const sections: Section[] = [
    { kind: 'text', text: p.plan.summary },
    { kind: 'code', title: 'Plan (current → desired)', code: p.plan.diff.join('\n'), collapsed: false },
    {
      kind: 'notice',
      tone: p.dryRun.ok ? 'good' : 'attention',
      text: `Server-side dry run ${p.dryRun.ok ? 'passed' : 'FAILED'}: ${p.dryRun.detail.join('; ')}`,
    },
    { kind: 'text', text: `Rollback: ${p.plan.rollback.description}` },
  ];
  for (const note of p.plan.notes) sections.push({ kind: 'notice', tone: 'warning', text: note });
  if (p.supersedes !== null)
    sections.push({
      kind: 'notice',
      tone: 'warning',
      text: `Re-planned: the target changed after proposal #${p.supersedes} was approved, so that approval is void. Please review and approve again.`,
    });
  sections.push({
    kind: 'notice',
    tone: s.status === 'error' ? 'attention' : s.status === 'success' ? 'good' : 'accent',
    text: nextStep(p),
  });
  if (p.result?.detail.length) sections.push({ kind: 'text', text: p.result.detail.join('\n') });
  const approvals = context.unattended
    ? unattendedApproval(context.unattended)
    : `${p.approvers.length} of ${p.requiredApprovals}${p.approvers.length ? ` (${p.approvers.join(', ')})` : ''}`;
  return buildMessage({
    header: {
      title: `Remediation #${p.id}: ${actionTitle}`,
      tier: p.tier,
      status: s.status,
      subtitle: `${s.word} · risk ${p.risk}${p.incidentId !== null ? ` · ${formatIncidentId(p.incidentId)}` : ''}`,
    },
    facts: [
      ['Proposed by', p.proposedBy],
      ['Approvals', approvals],
      // An absolute time stays true on a posted card; "in 15m" would not.
      [p.status === 'pending' ? 'Expires' : 'Approval deadline', cardTime(p.expiresAt, tf)],
      [
        'Targets',
        p.plan.targets
          .map((t) => `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}@${t.resourceVersion}`)
          .join(', '),
      ],
      ['Plan hash', shortHash(p.planHash)],
      ...(context.auditHead
        ? [['Audit head', `${context.auditHead.seq}:${context.auditHead.hash}`] as [string, string]]
        : []),
    ],
    sections,
    actions:
      p.status === 'pending'
        ? [
            {
              verb: REMEDIATION_VERBS.approve,
              title: 'Approve',
              style: 'positive',
              data: { proposalId: p.id, planHash: p.planHash },
            },
            {
              verb: REMEDIATION_VERBS.reject,
              title: 'Reject',
              style: 'destructive',
              data: { proposalId: p.id },
            },
          ]
        : [],
  });
}
