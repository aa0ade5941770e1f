import { z } from 'zod';
import { incidentTier } from '../alerts/incident.ts';
import { messageRef, surfaceId } from '../outbox/outbox-entry.ts';
import { plan } from './plan.ts';

/**
 * The life of a proposal. Only these moves exist, each done by one compare-and-set in the store:
 * pending → approved | rejected | expired; approved → executing | void; executing → succeeded |
 * failed | verify-failed; succeeded | failed | verify-failed → rolled-back (its rollback verified).
 */
export const proposalStatus = z.enum([
  'pending',
  'approved',
  'rejected',
  'expired',
  'void',
  'executing',
  'succeeded',
  'failed',
  'verify-failed',
  'rolled-back',
]);
export type ProposalStatus = z.infer<typeof proposalStatus>;

/** Who proposes and approves an unattended run (`mode: auto`): the action's earned record, not a person. */
export const UNATTENDED_ACTOR = 'bot:earned';

/** The outcome of a server-side dry run, apply or verification, in lines for people. */
export const stepResult = z.object({ ok: z.boolean(), detail: z.array(z.string()) });
export type StepResult = z.infer<typeof stepResult>;

/** How much an action can hurt if it goes wrong; decides how many approvals it needs. */
export const risk = z.enum(['low', 'medium', 'high']);
export type Risk = z.infer<typeof risk>;

/** Where the proposal was made, so progress goes back to the same thread. */
export const replyPlace = z.object({
  surface: surfaceId,
  channel: z.string(),
  thread: messageRef.nullable(),
});
export type ReplyPlace = z.infer<typeof replyPlace>;

export const proposal = z.object({
  id: z.number().int().positive(),
  incidentId: z.number().int().nullable(),
  actionId: z.string(),
  tier: incidentTier,
  risk,
  plan,
  planHash: z.string(),
  resourceVersions: z.record(z.string(), z.string()),
  dryRun: stepResult,
  proposedBy: z.string(),
  proposedAt: z.number(),
  expiresAt: z.number(),
  requiredApprovals: z.number().int().min(1),
  approvers: z.array(z.string()),
  status: proposalStatus,
  result: stepResult.nullable(),
  place: replyPlace,
  /** The proposal this one re-plans (its approval was void because the target changed). */
  supersedes: z.number().int().nullable(),
  /** The proposal this one rolls back (its "Propose rollback" button). */
  rollbackOf: z.number().int().nullable().default(null),
  updatedAt: z.number(),
});
export type Proposal = z.infer<typeof proposal>;
export type NewProposal = Omit<
  Proposal,
  'id' | 'approvers' | 'status' | 'result' | 'updatedAt' | 'rollbackOf'
> &
  Partial<Pick<Proposal, 'rollbackOf'>>;
