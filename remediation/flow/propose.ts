import type { IncidentTier } from '../../core/alerts/incident.ts';
import type { ChatUser } from '../../core/chat-surface.ts';
import { describeIssues } from '../../core/describe-args-error.ts';
import { UserFacingError } from '../../core/errors.ts';
import { hashPlan, type Plan, plan as planSchema, resourceVersionsOf } from '../../core/remediation/plan.ts';
import type { Proposal, ReplyPlace } from '../../core/remediation/proposal.ts';
import type { StepResult } from '../action.ts';
import { ExecutorError } from '../errors.ts';
import { isAllowed, ruleFor } from '../policy.ts';
import { actionContext, findAction, type RemediationDeps, requireEnabled } from './deps.ts';

export interface ProposeInput {
  actionId: string;
  /** Raw parameters (strings from chat, or JSON from a card button); the action's schema parses them. */
  params: Record<string, unknown>;
  user: ChatUser;
  place: ReplyPlace;
  incidentId: number | null;
  /** Set when re-planning after the target changed. */
  supersedes?: number;
  /** The proposal this one rolls back (its "Propose rollback" button). */
  rollbackOf?: number;
  /**
   * An unattended run or its rollback (see unattended.ts): the policy's `unattended` flag
   * authorises it, not the action's `propose` list. Every other check (kill switch, rate limit,
   * guardrails, dry run) applies.
   */
  unattended?: boolean;
}

async function tierOf(deps: RemediationDeps, incidentId: number | null): Promise<IncidentTier> {
  if (incidentId === null) return 'P2';
  const incident = await deps.store.incidents.get(incidentId);
  if (!incident) throw new UserFacingError('UNKNOWN_INCIDENT', `There is no INC-${incidentId}.`);
  return incident.tier;
}

/** Reads the target and builds the plan; guardrail breaches surface as user-facing errors. */
export async function buildPlan(
  deps: RemediationDeps,
  actionId: string,
  raw: Record<string, unknown>,
): Promise<Plan> {
  const action = findAction(deps, actionId);
  const parsed = action.params.safeParse(raw);
  if (!parsed.success)
    throw new UserFacingError(
      'BAD_PARAMETERS',
      `${actionId}: ${describeIssues(parsed.error.issues, actionId)} Usage: /remediate ${actionId} key=value …`,
    );
  try {
    return planSchema.parse(await action.plan(parsed.data, actionContext(deps)));
  } catch (err) {
    if (err instanceof ExecutorError && err.status === 404)
      throw new UserFacingError('TARGET_NOT_FOUND', `${actionId}: ${err.message}`);
    throw err;
  }
}

async function runDryRun(deps: RemediationDeps, p: Plan): Promise<StepResult> {
  try {
    return await findAction(deps, p.actionId).dryRun(p, actionContext(deps));
  } catch (err) {
    if (err instanceof ExecutorError) return { ok: false, detail: [err.message] };
    throw err;
  }
}

/** Refuses when the action ran `max` times within its window already. */
export async function checkRateLimit(deps: RemediationDeps, actionId: string): Promise<void> {
  const { max, window } = ruleFor(deps.policy, actionId).rateLimit;
  const recent = await deps.repo.countExecutions(actionId, deps.clock.now() - window);
  if (recent >= max)
    throw new UserFacingError(
      'RATE_LIMITED',
      `${actionId} already ran ${recent} times in the last ${Math.round(window / 60_000)} minutes (limit ${max}). Wait, or ask an admin to change the policy.`,
    );
}

/**
 * Proposes a remediation (refusals by policy are audited as well): checks the kill switch, who may propose, the rate limit and the
 * guardrails, plans, runs the server-side dry run, and stores the proposal (audited). A failed
 * dry run is refused: nobody should be asked to approve what the server already rejects.
 */
export async function proposeRemediation(deps: RemediationDeps, input: ProposeInput): Promise<Proposal> {
  try {
    return await planAndStore(deps, input);
  } catch (err) {
    if (err instanceof UserFacingError && AUDITED_REFUSALS.has(err.code)) {
      await deps.repo.appendAudit({
        at: deps.clock.now(),
        actor: input.user.id,
        event: 'proposal-refused',
        incidentId: input.incidentId,
        actionId: input.actionId,
        result: err.code,
        detail: { reason: err.message, params: input.params },
      });
    }
    throw err;
  }
}

/** Refusals worth a record: someone tried something the policy forbids, or the server rejected it. */
const AUDITED_REFUSALS = new Set(['NOT_AUTHORISED', 'GUARDRAIL', 'DRY_RUN_FAILED', 'RATE_LIMITED']);

async function planAndStore(deps: RemediationDeps, input: ProposeInput): Promise<Proposal> {
  await requireEnabled(deps);
  const action = findAction(deps, input.actionId);
  const rule = ruleFor(deps.policy, action.id);
  if (!rule.enabled) throw new UserFacingError('ACTION_DISABLED', `${action.id} is disabled in the policy.`);
  // An unattended run's rollback undoes what the bot did: allowed whatever the rollback action's flag.
  const unattended = input.unattended === true && (rule.unattended || input.rollbackOf !== undefined);
  if (!unattended && !isAllowed(deps.policy, input.user.id, rule.propose))
    throw new UserFacingError('NOT_AUTHORISED', `${input.user.id} may not propose ${action.id}.`);
  await checkRateLimit(deps, action.id);
  const tier = await tierOf(deps, input.incidentId);
  const p = await buildPlan(deps, action.id, input.params);
  const dryRun = await runDryRun(deps, p);
  if (!dryRun.ok)
    throw new UserFacingError(
      'DRY_RUN_FAILED',
      `The server-side dry run of ${action.id} failed: ${dryRun.detail.join('; ')}`,
    );
  const now = deps.clock.now();
  const planHash = hashPlan(p);
  const proposal = {
    incidentId: input.incidentId,
    actionId: action.id,
    tier,
    risk: action.risk,
    plan: p,
    planHash,
    resourceVersions: resourceVersionsOf(p),
    dryRun,
    proposedBy: input.user.id,
    proposedAt: now,
    expiresAt: now + deps.policy.approvalTtl,
    requiredApprovals: tier === 'P1' || action.risk === 'high' ? 2 : 1,
    place: input.place,
    supersedes: input.supersedes ?? null,
    rollbackOf: input.rollbackOf ?? null,
  };
  return deps.repo.createProposal(proposal, {
    at: now,
    actor: input.user.id,
    event: 'proposed',
    incidentId: input.incidentId,
    actionId: action.id,
    planHash,
    detail: {
      summary: p.summary,
      resourceVersions: proposal.resourceVersions,
      supersedes: proposal.supersedes,
    },
  });
}
