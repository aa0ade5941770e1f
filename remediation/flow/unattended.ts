import { remediationProgressReply } from '../../cards/templates/remediation-progress.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import { describeForChat } from '../../core/errors.ts';
import { type Proposal, type ReplyPlace, UNATTENDED_ACTOR } from '../../core/remediation/proposal.ts';
import type { StoredAlert } from '../../core/store.ts';
import { freezeAt, ruleFor } from '../policy.ts';
import {
  logRemediationStep,
  postToPlace,
  type RemediationDeps,
  requireEnabled,
  syncProposalCard,
} from './deps.ts';
import { type EarnedRecord, earnedRecord, incidentRule } from './earned-record.ts';
import { executeApproved } from './execute.ts';
import { proposeRemediation } from './propose.ts';

const UNATTENDED_USER = { id: UNATTENDED_ACTOR, displayName: 'earned automation' };

/** One suggestion of an open incident that may run unattended. */
export interface UnattendedCandidate {
  incident: Incident;
  alerts: readonly StoredAlert[];
  actionId: string;
  params: Record<string, unknown>;
}

/** Why no unattended run may start now, or undefined when one may. */
export async function unattendedBlocked(
  deps: RemediationDeps,
  actionId: string,
): Promise<string | undefined> {
  if (deps.policy.mode !== 'auto') return `the policy's mode is ${deps.policy.mode}`;
  if (!ruleFor(deps.policy, actionId).unattended) return `${actionId} is not marked unattended`;
  const freeze = freezeAt(deps.policy, deps.clock.now());
  if (freeze) return `a change freeze is in force (${freeze.reason})`;
  try {
    await requireEnabled(deps);
  } catch (err) {
    return describeForChat(err, 'unattended run');
  }
  return undefined;
}

/** The record of `actionId` for `rule`, read from the whole audit chain. */
export async function recordFor(
  deps: RemediationDeps,
  actionId: string,
  rule: string,
): Promise<EarnedRecord> {
  const chain = await deps.repo.readAuditChain();
  const rules = new Map<number, string | undefined>();
  for (const id of new Set(
    chain.flatMap((r) => (r.actionId === actionId && r.incidentId !== null ? [r.incidentId] : [])),
  ))
    rules.set(id, incidentRule(await deps.store.alerts.listByIncident(id)));
  const rollbacks = new Set<number>();
  for (const r of chain)
    if (r.actionId === actionId && r.event === 'verified' && r.proposalId !== null) {
      const p = await deps.repo.getProposal(r.proposalId);
      if (p?.rollbackOf !== null && p?.rollbackOf !== undefined) rollbacks.add(p.id);
    }
  return earnedRecord(chain, {
    actionId,
    rule,
    needed: deps.policy.autoAfterVerifiedRuns,
    ruleOf: (id) => rules.get(id),
    isRollback: (id) => rollbacks.has(id),
  });
}

/** Where the incident's card is: its thread on the first target that has it, else that channel. */
async function incidentPlace(deps: RemediationDeps, incidentId: number): Promise<ReplyPlace | undefined> {
  for (const t of deps.targets) {
    const card = await deps.store.chatMessages.getIncidentCard(incidentId, t.surface);
    if (card) return { surface: t.surface, channel: t.channel, thread: card };
  }
  const first = deps.targets[0];
  return first && { surface: first.surface, channel: first.channel, thread: null };
}

/** pending → approved by the record, audited with why; undefined when another replica took it. */
async function approveByRecord(
  deps: RemediationDeps,
  p: Proposal,
  detail: Record<string, unknown>,
): Promise<Proposal | undefined> {
  const at = deps.clock.now();
  const moved = await deps.repo.transition(p.id, {
    from: ['pending'],
    to: 'approved',
    at,
    audit: {
      at,
      actor: UNATTENDED_ACTOR,
      event: 'auto-approved',
      proposalId: p.id,
      incidentId: p.incidentId,
      actionId: p.actionId,
      planHash: p.planHash,
      detail,
    },
  });
  if (moved) await logRemediationStep(deps, 'auto-approved', moved, UNATTENDED_ACTOR);
  return moved;
}

/**
 * Runs one suggestion without approval when everything allows it: `mode: auto`, the action marked
 * unattended, no freeze, the kill switch on, the action's earned record for the incident's alert
 * rule, and no earlier proposal of that action for the incident (one unattended attempt each).
 * The run is the approved flow's: plan, dry run (in the proposal), re-plan check, apply, verify;
 * a failed verification rolls back unattended too. Returns the run's proposal, if one started.
 */
export async function runUnattended(
  deps: RemediationDeps,
  c: UnattendedCandidate,
): Promise<Proposal | undefined> {
  if (await unattendedBlocked(deps, c.actionId)) return undefined;
  const rule = incidentRule(c.alerts);
  if (rule === undefined) return undefined;
  const earlier = await deps.repo.listProposals({ incidentId: c.incident.id, limit: 100 });
  if (earlier.some((p) => p.actionId === c.actionId)) return undefined;
  const record = await recordFor(deps, c.actionId, rule);
  if (!record.earned) return undefined;
  const place = await incidentPlace(deps, c.incident.id);
  if (!place) return undefined;
  let proposal: Proposal;
  try {
    proposal = await proposeRemediation(deps, {
      actionId: c.actionId,
      params: c.params,
      user: UNATTENDED_USER,
      place,
      incidentId: c.incident.id,
      unattended: true,
    });
  } catch (err) {
    deps.logger?.warn(
      { err, code: 'UNATTENDED_REFUSED', incidentId: c.incident.id, remediation: c.actionId },
      'unattended remediation refused',
    );
    return undefined;
  }
  const why = { rule, runs: record.runs, needed: record.needed, lastApprover: record.lastApprover ?? null };
  const approved = await approveByRecord(deps, proposal, why);
  if (!approved) return undefined;
  await syncProposalCard(deps, approved);
  await postToPlace(
    deps,
    place,
    remediationProgressReply(
      approved,
      `running unattended: ${record.runs} approved runs in a row for ${rule} verified (last approved by ${record.lastApprover ?? 'nobody'}). /remediation off stops all runs.`,
      'warning',
    ),
  );
  const done = await executeApproved(deps, approved.id, UNATTENDED_ACTOR);
  if (done?.status === 'succeeded')
    await postToPlace(
      deps,
      place,
      remediationProgressReply(
        done,
        'ran unattended and verified; roll back if it was not wanted.',
        'good',
        [],
        true,
      ),
    );
  if (done?.status === 'verify-failed') await rollBackUnattended(deps, done);
  return done ?? approved;
}

/**
 * A failed verification of an unattended run is rolled back at once, unattended as well (the
 * rollback is itself a proposal of the plan's rollback action); the failure has already set the
 * action's record back to zero.
 */
async function rollBackUnattended(deps: RemediationDeps, failed: Proposal): Promise<void> {
  const { rollback } = failed.plan;
  if (rollback.action === null) {
    await postToPlace(
      deps,
      failed.place,
      remediationProgressReply(failed, `no automatic rollback: ${rollback.description}`, 'attention'),
    );
    return;
  }
  try {
    const p = await proposeRemediation(deps, {
      actionId: rollback.action,
      params: rollback.params,
      user: UNATTENDED_USER,
      place: failed.place,
      incidentId: failed.incidentId,
      rollbackOf: failed.id,
      unattended: true,
    });
    const approved = await approveByRecord(deps, p, { rollbackOf: failed.id });
    if (!approved) return;
    await syncProposalCard(deps, approved);
    await executeApproved(deps, approved.id, UNATTENDED_ACTOR);
  } catch (err) {
    await postToPlace(
      deps,
      failed.place,
      remediationProgressReply(
        failed,
        `the automatic rollback could not run: ${describeForChat(err, 'rollback')}`,
        'attention',
        [],
        true,
      ),
    );
  }
}
