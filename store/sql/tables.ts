import type { Generated } from 'kysely';

/**
 * Row types of the store's tables as Kysely sees them (the same columns on both engines: times are
 * integer milliseconds, structured values JSON text). Tables are added as their repositories move
 * onto the query builder.
 */
export interface Tables {
  remediation_proposals: {
    id: Generated<number>;
    incident_id: number | null;
    action_id: string;
    status: string;
    plan_hash: string;
    proposed_by: string;
    proposed_at: number;
    expires_at: number;
    required_approvals: number;
    body: string;
    result: string | null;
    updated_at: number;
  };
  remediation_approvals: { proposal_id: number; approver: string; plan_hash: string; at: number };
  remediation_executions: {
    proposal_id: number;
    action_id: string;
    started_by: string;
    started_at: number;
    outcome: string | null;
  };
  remediation_audit: {
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
  };
  remediation_audit_head: { id: number; seq: number; hash: string };
  remediation_settings: { key: string; value: string };
  remediation_messages: { proposal_id: number; surface: string; ref: string; created_at: number };
}
