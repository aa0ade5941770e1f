import { type AuditRecord, auditRecord } from '../../core/remediation/audit.ts';
import { type Proposal, proposal, stepResult } from '../../core/remediation/proposal.ts';
import type { Transition } from './remediation-repo.ts';

/** Row shapes of the remediation tables and their mapping, shared by the SQLite and PostgreSQL repos. */

export interface ProposalRow {
  id: number;
  status: string;
  result: string | null;
  updated_at: number;
  body: string;
}

export interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  event: string;
  proposal_id: number | null;
  incident_id: number | null;
  action_id: string | null;
  plan_hash: string | null;
  result: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export function toAudit(r: AuditRow): AuditRecord {
  return auditRecord.parse({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    event: r.event,
    proposalId: r.proposal_id,
    incidentId: r.incident_id,
    actionId: r.action_id,
    planHash: r.plan_hash,
    result: r.result,
    detail: JSON.parse(r.detail),
    prevHash: r.prev_hash,
    hash: r.hash,
  });
}

/** A proposal from its row and its approvers (oldest first). */
export function toProposal(row: ProposalRow, approvers: readonly string[]): Proposal {
  return proposal.parse({
    ...JSON.parse(row.body),
    id: row.id,
    status: row.status,
    result: row.result === null ? null : stepResult.parse(JSON.parse(row.result)),
    updatedAt: row.updated_at,
    approvers,
  });
}

/** A pending proposal past its approval deadline: expired, by the bot. */
export function expiryOf(p: Proposal, now: number): Transition {
  return {
    from: ['pending'],
    to: 'expired',
    at: now,
    audit: {
      at: now,
      actor: 'bot',
      event: 'expired',
      proposalId: p.id,
      incidentId: p.incidentId,
      actionId: p.actionId,
      planHash: p.planHash,
      result: 'expired',
    },
  };
}

/** An approved proposal whose execution `actor` claimed: executing. */
export function executionStartOf(p: Proposal, actor: string, at: number): Transition {
  return {
    from: ['approved'],
    to: 'executing',
    at,
    audit: {
      at,
      actor,
      event: 'execution-started',
      proposalId: p.id,
      incidentId: p.incidentId,
      actionId: p.actionId,
      planHash: p.planHash,
    },
  };
}
