import type { MessageRef, SurfaceId } from '../../core/outbox/outbox-entry.ts';
import type { AuditHead, AuditInput, AuditRecord } from '../../core/remediation/audit.ts';
import type { NewProposal, Proposal, ProposalStatus } from '../../core/remediation/proposal.ts';

/** Why the store refused to record an approval. */
export type ApprovalRefusal =
  | 'UNKNOWN'
  | 'SELF_APPROVAL'
  /** The approver is an agent (`mcp:<name>`): only people approve. */
  | 'AGENT_APPROVER'
  | 'DUPLICATE'
  | 'NOT_PENDING'
  | 'EXPIRED'
  | 'PLAN_CHANGED';

export type ApprovalOutcome =
  | { kind: 'recorded'; proposal: Proposal }
  | { kind: 'approved'; proposal: Proposal }
  | { kind: 'refused'; code: ApprovalRefusal; proposal: Proposal | undefined };

/** A state change: recorded, with its audit record, only if the proposal is still in `from`. */
export interface Transition {
  from: readonly ProposalStatus[];
  to: ProposalStatus;
  at: number;
  result?: Proposal['result'];
  audit: AuditInput;
}

/**
 * Durable state of remediations. Every method is one atomic unit (one database transaction), so
 * rules that must hold across replicas — four-eyes, expiry, exactly-once execution, the audit
 * chain — are enforced here rather than in memory. Two engines: SQLite and PostgreSQL (replicas).
 */
export interface RemediationRepo {
  /**
   * Stores a pending proposal; its audit record takes the id, incident, action and hash from it.
   * If a pending proposal with the same plan hash exists, returns that one instead (a double
   * click on Propose proposes once).
   */
  createProposal(input: NewProposal, audit: AuditInput): Promise<Proposal>;
  getProposal(id: number): Promise<Proposal | undefined>;
  /** Most recent proposals, oldest first; filtered by incident and/or status when given. */
  listProposals(filter: { incidentId?: number; status?: ProposalStatus; limit: number }): Promise<Proposal[]>;
  /**
   * Adds one approval bound to `planHash`. Refuses the proposer, a second approval by the same
   * person, a changed plan, and anything not pending or past its expiry (which it marks expired).
   * The approval that reaches the required count moves the proposal to `approved`.
   */
  recordApproval(input: {
    proposalId: number;
    approver: string;
    planHash: string;
    at: number;
  }): Promise<ApprovalOutcome>;
  /** Compare-and-set of the status; undefined when another caller moved it first. */
  transition(id: number, change: Transition): Promise<Proposal | undefined>;
  /** approved → executing, at most once per proposal (unique execution row). */
  claimExecution(id: number, actor: string, at: number): Promise<Proposal | undefined>;
  /** Executions of an action started since `since` (rate limit). */
  countExecutions(actionId: string, since: number): Promise<number>;
  /** Runs of an action that succeeded and verified (automatic mode's track record). */
  countVerifiedRuns(actionId: string): Promise<number>;
  /** Marks every pending proposal past its expiry as expired; returns them. */
  expireDue(now: number): Promise<Proposal[]>;
  appendAudit(input: AuditInput): Promise<AuditRecord>;
  /** Most recent records, oldest first; only one incident's when given. */
  listAudit(filter: { incidentId?: number; limit: number }): Promise<AuditRecord[]>;
  /** The whole chain in order, for verification. */
  readAuditChain(): Promise<AuditRecord[]>;
  /**
   * The chain's head as recorded outside the audit table (its own row, written in the same
   * transaction as every append): a chain whose last records were deleted no longer reaches it.
   */
  auditHead(): Promise<AuditHead | undefined>;
  /** The posted card of a proposal on one surface (updated in place at every state change). */
  getCardMessage(proposalId: number, surface: SurfaceId): Promise<MessageRef | undefined>;
  saveCardMessage(proposalId: number, ref: MessageRef, now: number): Promise<void>;
  /** How many audit records there are of each event (proposed, approved, executed …). */
  countAuditEvents(): Promise<Record<string, number>>;
  getSetting(key: string): Promise<string | undefined>;
  /** Writes a setting and its audit record together. */
  setSetting(key: string, value: string, audit: AuditInput): Promise<void>;
  close(): Promise<void>;
}
