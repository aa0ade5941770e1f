import { formatTime } from '../../cards/templates/format.ts';
import { remediationProgressReply } from '../../cards/templates/remediation-progress.ts';
import { describeForChat, UserFacingError } from '../../core/errors.ts';
import { enqueueIncidentCard } from '../../core/outbox/enqueue.ts';
import { enqueueProposalCard } from '../../core/outbox/proposal-cards.ts';
import { hashPlan } from '../../core/remediation/plan.ts';
import { type Proposal, UNATTENDED_ACTOR } from '../../core/remediation/proposal.ts';
import type { StepResult } from '../action.ts';
import { ExecutorError } from '../errors.ts';
import { ruleFor } from '../policy.ts';
import {
  actionContext,
  findAction,
  logRemediationStep,
  postToPlace,
  type RemediationDeps,
  requireEnabled,
  syncProposalCard,
  timeFormat,
} from './deps.ts';
import { buildPlan, proposeRemediation } from './propose.ts';

const audited = (p: Proposal, at: number) => ({
  at,
  proposalId: p.id,
  incidentId: p.incidentId,
  actionId: p.actionId,
  planHash: p.planHash,
});

async function finish(
  deps: RemediationDeps,
  p: Proposal,
  to: 'succeeded' | 'failed' | 'verify-failed' | 'void',
  event: 'verified' | 'execution-failed' | 'verify-failed' | 'voided',
  result: StepResult,
  code: string,
): Promise<Proposal> {
  const at = deps.clock.now();
  const incidentId = p.incidentId;
  // One transaction: the outcome, its audit record, the timeline event and the cards it changes.
  const moved = await deps.store.transaction(async (tx) => {
    const finished = await tx.remediation.transition(p.id, {
      from: ['executing'],
      to,
      at,
      result,
      audit: { ...audited(p, at), actor: 'bot', event, result: code, detail: { detail: result.detail } },
    });
    await enqueueProposalCard(tx, p.place, p.id, at);
    if (incidentId === null) return finished;
    await tx.incidents.addEvent({
      incidentId,
      at,
      type: `remediation-${to}`,
      actor: 'bot',
      detail: `#${p.id} ${p.actionId}: ${result.detail.join('; ')}`.slice(0, 500),
    });
    await enqueueIncidentCard(tx, deps.targets, incidentId, at);
    return finished;
  });
  deps.onQueued();
  const done = moved ?? p;
  await logRemediationStep(deps, event, done, 'bot');
  if (moved && to === 'succeeded' && p.rollbackOf !== null) await markRolledBack(deps, p);
  return done;
}

/** A verified rollback undoes the proposal it rolls back: that one's card says so. */
async function markRolledBack(deps: RemediationDeps, rollback: Proposal): Promise<void> {
  const original =
    rollback.rollbackOf === null ? undefined : await deps.repo.getProposal(rollback.rollbackOf);
  if (!original) return;
  const at = deps.clock.now();
  const moved = await deps.repo.transition(original.id, {
    from: ['succeeded', 'failed', 'verify-failed'],
    to: 'rolled-back',
    at,
    audit: {
      ...audited(original, at),
      actor: 'bot',
      event: 'rolled-back',
      detail: { rollback: rollback.id },
    },
  });
  if (moved) await syncProposalCard(deps, moved);
}

/** The target changed since approval: the approval is void; plan again and ask again. */
async function voidAndReplan(deps: RemediationDeps, p: Proposal, why: string): Promise<void> {
  await finish(deps, p, 'void', 'voided', { ok: false, detail: [why] }, 'TARGET_CHANGED');
  if (p.proposedBy === UNATTENDED_ACTOR) {
    // Nobody approved it: an unattended run whose target moved stops (its one attempt for the incident).
    await postToPlace(
      deps,
      p.place,
      remediationProgressReply(p, `unattended run stopped: ${why}.`, 'warning'),
    );
    return;
  }
  await postToPlace(
    deps,
    p.place,
    remediationProgressReply(
      p,
      `approval void: ${why}. Planning again; the new plan needs approval.`,
      'warning',
    ),
  );
  try {
    const next = await proposeRemediation(deps, {
      actionId: p.actionId,
      params: p.plan.params,
      user: { id: p.proposedBy, displayName: p.proposedBy },
      place: p.place,
      incidentId: p.incidentId,
      supersedes: p.id,
    });
    await syncProposalCard(deps, next);
  } catch (err) {
    await postToPlace(
      deps,
      p.place,
      remediationProgressReply(p, `could not re-plan: ${describeForChat(err, 're-plan')}`, 'attention'),
    );
  }
}

async function isSwitchedOn(deps: RemediationDeps): Promise<boolean> {
  try {
    await requireEnabled(deps);
    return true;
  } catch {
    return false;
  }
}

/** The approval no longer allows running (rate limit, kill switch): void, not counted as a run. */
async function refuseExecution(
  deps: RemediationDeps,
  p: Proposal,
  why: string,
  code: string,
): Promise<Proposal> {
  const done = await finish(deps, p, 'void', 'voided', { ok: false, detail: [why] }, code);
  await postToPlace(deps, p.place, remediationProgressReply(done, `not executed: ${why}.`, 'attention'));
  return done;
}

function describeError(err: unknown): string {
  return err instanceof ExecutorError || err instanceof UserFacingError
    ? err.message
    : 'unexpected error (see logs)';
}

/**
 * Executes an approved proposal exactly once: claims it in the store (a second caller gets
 * nothing), re-plans and compares with the approved plan hash (a changed target voids the
 * approval and asks again), applies with the approved resource versions (409 → void as well),
 * then verifies until the policy's deadline; a failed verification offers the rollback.
 */
export async function executeApproved(
  deps: RemediationDeps,
  proposalId: number,
  actor: string,
): Promise<Proposal | undefined> {
  const p = await deps.repo.claimExecution(proposalId, actor, deps.clock.now());
  if (!p) return undefined;
  await syncProposalCard(deps, p);
  await logRemediationStep(deps, 'execution-started', p, actor);
  const action = findAction(deps, p.actionId);
  const ctx = actionContext(deps);
  const { max, window } = ruleFor(deps.policy, p.actionId).rateLimit;
  if ((await deps.repo.countExecutions(p.actionId, deps.clock.now() - window)) > max)
    return refuseExecution(deps, p, `the rate limit of ${max} runs was reached`, 'RATE_LIMITED');
  if (!(await isSwitchedOn(deps)))
    return refuseExecution(deps, p, 'remediation is switched off', 'REMEDIATION_OFF');
  try {
    const fresh = await buildPlan(deps, p.actionId, p.plan.params);
    if (hashPlan(fresh) !== p.planHash) {
      await voidAndReplan(deps, p, 'the target changed after the plan was approved');
      return deps.repo.getProposal(p.id);
    }
  } catch (err) {
    await voidAndReplan(deps, p, describeError(err));
    return deps.repo.getProposal(p.id);
  }
  let applied: StepResult;
  try {
    applied = await action.apply(p.plan, ctx);
  } catch (err) {
    if (err instanceof ExecutorError && err.conflict) {
      const answer = err.status === 412 ? '412 Precondition Failed' : '409 Conflict';
      await voidAndReplan(deps, p, `the target changed while applying (${answer})`);
      return deps.repo.getProposal(p.id);
    }
    const failed = await finish(
      deps,
      p,
      'failed',
      'execution-failed',
      { ok: false, detail: [describeError(err)] },
      (err as { code?: string }).code ?? 'ERROR',
    );
    await postToPlace(
      deps,
      p.place,
      remediationProgressReply(failed, 'apply failed.', 'attention', failed.result?.detail, true),
    );
    return failed;
  }
  const at = deps.clock.now();
  await deps.repo.appendAudit({
    ...audited(p, at),
    actor: 'bot',
    event: 'executed',
    detail: { detail: applied.detail },
  });
  const deadline = at + deps.policy.verifyTimeout;
  await postToPlace(
    deps,
    p.place,
    remediationProgressReply(
      p,
      `applied; verifying until ${formatTime(deadline, timeFormat(deps))}.`,
      'accent',
      applied.detail,
    ),
  );
  let verified: StepResult;
  try {
    verified = await action.verify(p.plan, ctx, deadline);
  } catch (err) {
    verified = { ok: false, detail: [describeError(err)] };
  }
  if (verified.ok) {
    const done = await finish(deps, p, 'succeeded', 'verified', verified, 'ok');
    await postToPlace(deps, p.place, remediationProgressReply(done, 'verified.', 'good', verified.detail));
    return done;
  }
  const failed = await finish(deps, p, 'verify-failed', 'verify-failed', verified, 'VERIFY_FAILED');
  const now = deps.clock.now();
  await deps.repo.appendAudit({
    ...audited(p, now),
    actor: 'bot',
    event: 'rollback-offered',
    detail: { rollback: p.plan.rollback },
  });
  await postToPlace(
    deps,
    p.place,
    remediationProgressReply(
      failed,
      'verification failed before the deadline.',
      'attention',
      verified.detail,
      true,
    ),
  );
  return failed;
}
