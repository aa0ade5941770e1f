import type { Incident } from '../../core/alerts/incident.ts';
import type { MessageAction, Section } from '../../core/message.ts';
import type { Proposal, ProposalStatus } from '../../core/remediation/proposal.ts';
import { cardTime, type TimeFormat } from './format.ts';
import { rollbackButton } from './remediation-progress.ts';

/** Proposals that changed something (or tried to): their outcome belongs on the incident's card. */
const EXECUTED: ReadonlySet<ProposalStatus> = new Set([
  'succeeded',
  'failed',
  'verify-failed',
  'rolled-back',
]);
/** A rollback of these is still possible (and not already asked for). */
const UNDOABLE: ReadonlySet<ProposalStatus> = new Set(['succeeded', 'failed', 'verify-failed']);
/** A rollback proposal in one of these states is the rollback: no second button. */
const ROLLBACK_UNDER_WAY: ReadonlySet<ProposalStatus> = new Set([
  'pending',
  'approved',
  'executing',
  'succeeded',
]);

const OUTCOME: Record<string, string> = {
  succeeded: 'verified',
  failed: 'failed',
  'verify-failed': 'did not verify',
  'rolled-back': 'rolled back',
};

/**
 * Closing the loop on the incident's card: for each remediation that ran (newest first, three at
 * most), how it ended and whether the incident's alerts cleared within the verification window
 * after it, and a "Propose rollback" button for as long as a rollback is possible. Times are
 * absolute (rendered by the client), so a card posted hours ago still tells the truth.
 */
export function remediationOutcomes(input: {
  incident: Incident;
  /** The incident's proposals, any status. */
  proposals: readonly Proposal[];
  verifyTimeoutMs: number;
  tf: TimeFormat;
}): { sections: Section[]; actions: MessageAction[] } {
  const { incident, proposals, tf } = input;
  const ran = proposals
    .filter((p) => EXECUTED.has(p.status) && p.rollbackOf === null)
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, 3);
  const sections: Section[] = [];
  const actions: MessageAction[] = [];
  for (const p of ran) {
    const rolledBack = proposals.some((r) => r.rollbackOf === p.id && ROLLBACK_UNDER_WAY.has(r.status));
    sections.push({
      kind: 'notice',
      tone: p.status === 'succeeded' ? 'good' : 'attention',
      text: [
        `Remediation #${p.id} (${p.actionId}) ${OUTCOME[p.status]} `,
        cardTime(p.updatedAt, tf, 'time'),
        `: ${cleared(incident, p, input.verifyTimeoutMs)}`,
        ...(rolledBack && p.status !== 'rolled-back' ? ['; a rollback is under way'] : []),
      ],
    });
    const button = UNDOABLE.has(p.status) && !rolledBack ? rollbackButton(p) : undefined;
    if (button) actions.push({ ...button, title: `Roll back #${p.id}`.slice(0, 75) });
  }
  return { sections, actions };
}

/** Whether the alerts cleared in the verification window after the remediation ended. */
function cleared(incident: Incident, p: Proposal, windowMs: number): string {
  const resolvedAt = incident.status === 'resolved' ? incident.resolvedAt : null;
  if (resolvedAt === null) return 'the alerts are still firing.';
  if (resolvedAt < p.updatedAt) return 'the alerts had cleared before it ended.';
  const minutes = Math.max(1, Math.round((resolvedAt - p.updatedAt) / 60_000));
  return resolvedAt - p.updatedAt <= windowMs
    ? `the alerts cleared ${minutes} min later, within the ${Math.round(windowMs / 60_000)}-min verification window.`
    : `the alerts cleared ${minutes} min later, after the ${Math.round(windowMs / 60_000)}-min verification window.`;
}
