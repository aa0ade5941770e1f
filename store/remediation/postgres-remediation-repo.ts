import type pg from 'pg';
import { messageRef } from '../../core/outbox/outbox-entry.ts';
import { type AuditInput, type AuditRecord, chainAuditRecord } from '../../core/remediation/audit.ts';
import type { NewProposal, Proposal } from '../../core/remediation/proposal.ts';
import { type Db, wrapQueryable } from '../postgres/db.ts';
import { openMigratedPool, type PostgresOptions, serializable } from '../postgres/pool.ts';
import {
  type ApprovalAttempt,
  approvalAuditBase,
  approvalRefusal,
  approvalTransition,
} from './approval-rule.ts';
import { REMEDIATION_PG_MIGRATIONS } from './postgres-migrations.ts';
import type { ApprovalOutcome, ApprovalRefusal, RemediationRepo, Transition } from './remediation-repo.ts';
import {
  type AuditRow,
  executionStartOf,
  expiryOf,
  type ProposalRow,
  toAudit,
  toProposal,
} from './remediation-rows.ts';

const FINISHED = ['succeeded', 'failed', 'verify-failed', 'void'];

async function readProposal(db: Db, id: number): Promise<Proposal | undefined> {
  const [row] = await db.query<ProposalRow>(
    'SELECT id, status, result, updated_at, body FROM remediation_proposals WHERE id = $1',
    [id],
  );
  if (!row) return undefined;
  const approvers = await db.query<{ approver: string }>(
    'SELECT approver FROM remediation_approvals WHERE proposal_id = $1 ORDER BY at, approver',
    [id],
  );
  return toProposal(
    row,
    approvers.map((a) => a.approver),
  );
}

/** Appends one record to the chain; callers hold the write lock (see {@link lockedTransaction}). */
async function append(db: Db, input: AuditInput): Promise<AuditRecord> {
  const [previous] = await db.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM remediation_audit ORDER BY seq DESC LIMIT 1',
  );
  const r = chainAuditRecord(input, previous);
  await db.query(
    `INSERT INTO remediation_audit (seq, at, actor, event, proposal_id, incident_id, action_id, plan_hash, result, detail, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      r.seq,
      r.at,
      r.actor,
      r.event,
      r.proposalId,
      r.incidentId,
      r.actionId,
      r.planHash,
      r.result,
      JSON.stringify(r.detail),
      r.prevHash,
      r.hash,
    ],
  );
  await db.query(
    `INSERT INTO remediation_audit_head (id, seq, hash) VALUES (1, $1, $2)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
    [r.seq, r.hash],
  );
  return r;
}

async function move(db: Db, id: number, change: Transition): Promise<Proposal | undefined> {
  const result = change.result === undefined ? null : JSON.stringify(change.result);
  const moved = await db.query(
    `UPDATE remediation_proposals SET status = $2, result = COALESCE($3, result), updated_at = $4
     WHERE id = $1 AND status = ANY($5::text[]) RETURNING id`,
    [id, change.to, result, change.at, [...change.from]],
  );
  if (moved.length === 0) return undefined;
  await append(db, change.audit);
  return readProposal(db, id);
}

function expireOne(db: Db, p: Proposal, now: number): Promise<Proposal | undefined> {
  return move(db, p.id, expiryOf(p, now));
}

async function recordApproval(
  db: Db,
  { proposalId, ...attempt }: { proposalId: number } & ApprovalAttempt,
): Promise<ApprovalOutcome> {
  const p = await readProposal(db, proposalId);
  if (!p) return { kind: 'refused', code: 'UNKNOWN', proposal: undefined };
  const base = approvalAuditBase(p, attempt);
  // Refusals are audited too: who tried to approve what, and why it was not counted.
  const refuse = async (code: ApprovalRefusal): Promise<ApprovalOutcome> => {
    await append(db, { ...base, event: 'approval-refused', result: code });
    return { kind: 'refused', code, proposal: p };
  };
  const refusal = approvalRefusal(p, attempt);
  if (refusal === 'EXPIRED')
    return { kind: 'refused', code: refusal, proposal: (await expireOne(db, p, attempt.at)) ?? p };
  if (refusal) return refuse(refusal);
  const inserted = await db.query(
    `INSERT INTO remediation_approvals (proposal_id, approver, plan_hash, at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (proposal_id, approver) DO NOTHING RETURNING approver`,
    [proposalId, attempt.approver, attempt.planHash, attempt.at],
  );
  if (inserted.length === 0) return refuse('DUPLICATE');
  await append(db, { ...base, event: 'approval-recorded' });
  const approval = approvalTransition(p, attempt);
  if (!approval) return { kind: 'recorded', proposal: (await readProposal(db, proposalId))! };
  return { kind: 'approved', proposal: (await move(db, proposalId, approval))! };
}

async function createProposal(db: Db, input: NewProposal, audit: AuditInput): Promise<Proposal> {
  const [created] = await db.query<{ id: number }>(
    `INSERT INTO remediation_proposals (incident_id, action_id, status, plan_hash, proposed_by, proposed_at,
     expires_at, required_approvals, body, result, updated_at)
     VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, NULL, $5)
     ON CONFLICT (plan_hash) WHERE status = 'pending' DO NOTHING RETURNING id`,
    [
      input.incidentId,
      input.actionId,
      input.planHash,
      input.proposedBy,
      input.proposedAt,
      input.expiresAt,
      input.requiredApprovals,
      JSON.stringify(input),
    ],
  );
  if (!created) {
    // A double click: the same plan is already pending.
    const [same] = await db.query<{ id: number }>(
      "SELECT id FROM remediation_proposals WHERE plan_hash = $1 AND status = 'pending'",
      [input.planHash],
    );
    return (await readProposal(db, same!.id))!;
  }
  await append(db, {
    ...audit,
    proposalId: created.id,
    incidentId: input.incidentId,
    actionId: input.actionId,
    planHash: input.planHash,
  });
  return (await readProposal(db, created.id))!;
}

async function claimExecution(db: Db, id: number, actor: string, at: number): Promise<Proposal | undefined> {
  const p = await readProposal(db, id);
  if (p?.status !== 'approved') return undefined;
  // The primary key is the guarantee: a second claim, from any replica, inserts nothing.
  const claimed = await db.query(
    `INSERT INTO remediation_executions (proposal_id, action_id, started_by, started_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (proposal_id) DO NOTHING RETURNING proposal_id`,
    [id, p.actionId, actor, at],
  );
  if (claimed.length === 0) return undefined;
  return move(db, id, executionStartOf(p, actor, at));
}

/**
 * A SERIALIZABLE transaction that first takes the remediation write lock. LOCK TABLE is the one
 * statement that does not fix the transaction's snapshot, so the snapshot is taken after the lock
 * is granted and sees every earlier write: appends to the audit chain never race, and writers do
 * not livelock re-running each other. Remediations are rare; queueing their writes costs nothing.
 */
function lockedTransaction<T>(pool: pg.Pool, fn: (db: Db) => Promise<T>): Promise<T> {
  return serializable(pool, async (db) => {
    await db.query('LOCK TABLE remediation_write_lock IN EXCLUSIVE MODE');
    return fn(db);
  });
}

/** Remediation state on a pool that is already migrated (see {@link openPostgresRemediationRepo}). */
export function createPostgresRemediationRepo(pool: pg.Pool): RemediationRepo {
  const db = wrapQueryable(pool);
  const tx = <T>(fn: (db: Db) => Promise<T>) => lockedTransaction(pool, fn);
  return {
    createProposal: (input, audit) => tx((d) => createProposal(d, input, audit)),
    getProposal: (id) => readProposal(db, id),
    async listProposals({ incidentId, status, limit }) {
      const rows = await db.query<{ id: number }>(
        `SELECT id FROM remediation_proposals
         WHERE ($1::bigint IS NULL OR incident_id = $1) AND ($2::text IS NULL OR status = $2)
         ORDER BY id DESC LIMIT $3`,
        [incidentId ?? null, status ?? null, limit],
      );
      const found = await Promise.all(rows.map((r) => readProposal(db, r.id)));
      return found.filter((p): p is Proposal => p !== undefined).reverse();
    },
    recordApproval: (input) => tx((d) => recordApproval(d, input)),
    transition: (id, change) =>
      tx(async (d) => {
        const moved = await move(d, id, change);
        if (moved && FINISHED.includes(change.to))
          await d.query('UPDATE remediation_executions SET outcome = $1 WHERE proposal_id = $2', [
            change.to,
            id,
          ]);
        return moved;
      }),
    claimExecution: (id, actor, at) => tx((d) => claimExecution(d, id, actor, at)),
    async countExecutions(actionId, since) {
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM remediation_executions
         WHERE action_id = $1 AND started_at >= $2 AND (outcome IS NULL OR outcome <> 'void')`,
        [actionId, since],
      );
      return row?.n ?? 0;
    },
    async countVerifiedRuns(actionId) {
      const [row] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM remediation_executions WHERE action_id = $1 AND outcome = 'succeeded'",
        [actionId],
      );
      return row?.n ?? 0;
    },
    expireDue: (now) =>
      tx(async (d) => {
        const due = await d.query<{ id: number }>(
          "SELECT id FROM remediation_proposals WHERE status = 'pending' AND expires_at <= $1 ORDER BY id",
          [now],
        );
        const expired: Proposal[] = [];
        for (const { id } of due) {
          const p = await readProposal(d, id);
          const moved = p && (await expireOne(d, p, now));
          if (moved) expired.push(moved);
        }
        return expired;
      }),
    appendAudit: (input) => tx((d) => append(d, input)),
    async listAudit({ incidentId, limit }) {
      const rows = await db.query<AuditRow>(
        `SELECT * FROM remediation_audit WHERE ($1::bigint IS NULL OR incident_id = $1)
         ORDER BY seq DESC LIMIT $2`,
        [incidentId ?? null, limit],
      );
      return rows.map(toAudit).reverse();
    },
    countAuditEvents: async () => {
      const rows = await db.query<{ event: string; n: string }>(
        'SELECT event, count(*) AS n FROM remediation_audit GROUP BY event',
      );
      return Object.fromEntries(rows.map((r) => [r.event, Number(r.n)]));
    },
    readAuditChain: async () =>
      (await db.query<AuditRow>('SELECT * FROM remediation_audit ORDER BY seq')).map(toAudit),
    async auditHead() {
      const [row] = await db.query<{ seq: string; hash: string }>(
        'SELECT seq, hash FROM remediation_audit_head WHERE id = 1',
      );
      return row && { seq: Number(row.seq), hash: row.hash };
    },
    async getCardMessage(proposalId, surface) {
      const [row] = await db.query<{ ref: string }>(
        'SELECT ref FROM remediation_messages WHERE proposal_id = $1 AND surface = $2',
        [proposalId, surface],
      );
      return row && messageRef.parse(JSON.parse(row.ref));
    },
    async saveCardMessage(proposalId, ref, now) {
      await db.query(
        `INSERT INTO remediation_messages (proposal_id, surface, ref, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (proposal_id, surface) DO UPDATE SET ref = excluded.ref`,
        [proposalId, ref.surface, JSON.stringify(ref), now],
      );
    },
    async getSetting(key) {
      const [row] = await db.query<{ value: string }>(
        'SELECT value FROM remediation_settings WHERE key = $1',
        [key],
      );
      return row?.value;
    },
    setSetting: (key, value, audit) =>
      tx(async (d) => {
        await d.query(
          'INSERT INTO remediation_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          [key, value],
        );
        await append(d, audit);
      }),
    close: () => pool.end(),
  };
}

/**
 * Opens the remediation tables on PostgreSQL, for bots with more than one replica: every rule
 * (four-eyes, expiry, plan binding, one execution, the audit chain) holds across replicas
 * because each method is one SERIALIZABLE transaction, re-run when it conflicts with another.
 */
export async function openPostgresRemediationRepo(options: PostgresOptions): Promise<RemediationRepo> {
  const pool = await openMigratedPool(options, {
    table: 'remediation_schema_migrations',
    migrations: REMEDIATION_PG_MIGRATIONS,
  });
  return createPostgresRemediationRepo(pool);
}
