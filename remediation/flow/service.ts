import { remediationProgressReply } from '../../cards/templates/remediation-progress.ts';
import type { ChatUser } from '../../core/chat-surface.ts';
import { UserFacingError } from '../../core/errors.ts';
import { verifyAuditChain } from '../../core/remediation/audit.ts';
import type { Proposal } from '../../core/remediation/proposal.ts';
import { isAllowed } from '../policy.ts';
import { type ApproveResult, approveRemediation, rejectRemediation } from './approve.ts';
import { KILL_SWITCH_KEY, postToPlace, type RemediationDeps, syncProposalCard } from './deps.ts';
import { executeApproved } from './execute.ts';
import { type ProposeInput, proposeRemediation } from './propose.ts';
import { recordFor, runUnattended, type UnattendedCandidate } from './unattended.ts';

/** An execution still marked running this long after its verification deadline was cut off. */
const RECOVERY_GRACE_MS = 60_000;

/**
 * The approval flow as one object for handlers: propose, approve (which starts the execution in
 * the background once enough people approved), reject, the kill switch, expiry and the audit.
 */
export function createRemediationService(deps: RemediationDeps) {
  const running = new Set<Promise<unknown>>();
  /** Actions with an unattended run under way on this replica. */
  const unattended = new Set<string>();

  function startExecution(proposalId: number, actor: string): void {
    const task: Promise<unknown> = executeApproved(deps, proposalId, actor)
      .catch((err) =>
        deps.logger?.error({ err, code: 'REMEDIATION_EXECUTE', proposalId }, 'remediation failed'),
      )
      .finally(() => running.delete(task));
    running.add(task);
  }

  /**
   * Executions still marked running well past their verification deadline were cut off (a replica
   * died mid-way): marked failed, with the rollback offered, since nobody knows how far they got.
   * Runs at start-up and periodically, since a replica restarted at once cannot tell a crashed
   * execution from one another replica is still running until the deadline has passed.
   */
  async function failInterrupted(): Promise<number> {
    const cutoff = deps.clock.now() - deps.policy.verifyTimeout - RECOVERY_GRACE_MS;
    let interrupted = 0;
    for (const p of await deps.repo.listProposals({ status: 'executing', limit: 100 })) {
      if (p.updatedAt > cutoff) continue;
      const at = deps.clock.now();
      const moved = await deps.repo.transition(p.id, {
        from: ['executing'],
        to: 'failed',
        at,
        result: { ok: false, detail: ['interrupted (the bot restarted during execution)'] },
        audit: {
          at,
          actor: 'bot',
          event: 'execution-failed',
          proposalId: p.id,
          incidentId: p.incidentId,
          actionId: p.actionId,
          planHash: p.planHash,
          result: 'INTERRUPTED',
        },
      });
      if (!moved) continue;
      interrupted++;
      await syncProposalCard(deps, moved);
      await postToPlace(
        deps,
        p.place,
        remediationProgressReply(moved, 'interrupted by a restart; check the target.', 'attention', [], true),
      );
    }
    return interrupted;
  }

  return {
    deps,
    propose: (input: ProposeInput): Promise<Proposal> => proposeRemediation(deps, input),

    /** Records an approval; the one that completes the count starts the execution. */
    async approve(input: { proposalId: number; planHash: string; user: ChatUser }): Promise<ApproveResult> {
      const result = await approveRemediation(deps, input);
      if (result.kind === 'approved') startExecution(result.proposal.id, input.user.id);
      return result;
    },

    reject: (input: { proposalId: number; user: ChatUser; reason?: string }) =>
      rejectRemediation(deps, input),

    /** The global kill switch: `/remediation off|on`, audited. */
    async setEnabled(enabled: boolean, user: ChatUser): Promise<void> {
      if (!isAllowed(deps.policy, user.id, deps.policy.killSwitch))
        throw new UserFacingError(
          'NOT_AUTHORISED',
          `${user.id} may not switch remediation ${enabled ? 'on' : 'off'}.`,
        );
      await deps.repo.setSetting(KILL_SWITCH_KEY, enabled ? 'on' : 'off', {
        at: deps.clock.now(),
        actor: user.id,
        event: enabled ? 'remediation-on' : 'remediation-off',
      });
    },

    async isEnabled(): Promise<boolean> {
      return deps.policy.mode !== 'off' && (await deps.repo.getSetting(KILL_SWITCH_KEY)) !== 'off';
    },

    /** An action's earned record for an alert rule (`source/rule`): see earned-record.ts. */
    record: (actionId: string, rule: string) => recordFor(deps, actionId, rule),

    /**
     * Starts an unattended run of a suggestion in the background when everything allows it (see
     * {@link runUnattended}). One run of an action at a time on this replica: two incidents that
     * call for the same change make it once (the second finds nothing left to do); across
     * replicas the re-plan check voids the later of two runs on one target.
     */
    startUnattended(candidate: UnattendedCandidate): void {
      const key = candidate.actionId;
      if (unattended.has(key)) return;
      unattended.add(key);
      const task: Promise<unknown> = runUnattended(deps, candidate)
        .catch((err) =>
          deps.logger?.error(
            { err, code: 'REMEDIATION_UNATTENDED', incidentId: candidate.incident.id },
            'unattended remediation failed',
          ),
        )
        .finally(() => {
          running.delete(task);
          unattended.delete(key);
        });
      running.add(task);
    },

    /** Periodic: pending proposals past their expiry become expired, and their threads say so. */
    async sweepExpired(): Promise<number> {
      const expired = await deps.repo.expireDue(deps.clock.now());
      // The card says "Expired" and loses its buttons; no extra message in the thread.
      for (const p of expired) await syncProposalCard(deps, p);
      return expired.length;
    },

    /**
     * After a restart: approved proposals whose execution never started are executed (the store
     * still guarantees once); executions cut off mid-way are marked failed (see `failInterrupted`).
     */
    async recover(): Promise<{ resumed: number; interrupted: number }> {
      const approved = await deps.repo.listProposals({ status: 'approved', limit: 100 });
      for (const p of approved) startExecution(p.id, 'bot');
      return { resumed: approved.length, interrupted: await failInterrupted() };
    },

    failInterrupted,
    /** The audit records (one incident's, or the latest) and whether the whole chain verifies. */
    async audit(incidentId: number | undefined, limit = 25) {
      const records = await deps.repo.listAudit({ incidentId, limit });
      const head = await deps.repo.auditHead();
      const check = verifyAuditChain(
        await deps.repo.readAuditChain(),
        head ? [{ head, name: 'the head row' }] : [],
      );
      return { records, check };
    },

    /** Resolves when no execution is running (tests, shutdown). */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

export type RemediationService = ReturnType<typeof createRemediationService>;
