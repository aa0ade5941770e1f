import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { messageRef } from '../../core/outbox/outbox-entry.ts';
import { type AuditInput, type AuditRecord, chainAuditRecord } from '../../core/remediation/audit.ts';
import type { NewProposal, Proposal } from '../../core/remediation/proposal.ts';
import { atomicRunner } from '../sqlite/module-database.ts';
import { approvalAuditBase, approvalRefusal, approvalTransition } from './approval-rule.ts';
import type { ApprovalOutcome, ApprovalRefusal, RemediationRepo, Transition } from './remediation-repo.ts';
import {
  type AuditRow,
  executionStartOf,
  expiryOf,
  type ProposalRow,
  toAudit,
  toProposal,
} from './remediation-rows.ts';
import { REMEDIATION_MIGRATIONS } from './sqlite-migrations.ts';

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS remediation_schema (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM remediation_schema').get() as { version: number } | undefined;
  if (!row) db.prepare('INSERT INTO remediation_schema (version) VALUES (0)').run();
  for (let v = row?.version ?? 0; v < REMEDIATION_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(REMEDIATION_MIGRATIONS[v]!);
      db.prepare('UPDATE remediation_schema SET version = ?').run(v + 1);
    })();
  }
}

/**
 * Opens the remediation tables in a SQLite file (the bot's own `bot.db` works: the tables are
 * separate) or `:memory:`; `readonly` opens an existing file for inspection only. It uses its own connection, and each method is one synchronous
 * transaction, so it never holds the database across an await; a busy database is retried.
 */
export function openSqliteRemediationRepo(
  path: string,
  options: { readonly?: boolean } = {},
): RemediationRepo {
  let db: Database.Database;
  if (options.readonly) {
    // Inspection (audit:verify): never creates or migrates anything.
    db = new Database(path, { readonly: true, fileMustExist: true });
  } else {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrate(db);
  }
  db.pragma('busy_timeout = 0');

  const q = {
    insertProposal: db.prepare(
      `INSERT INTO remediation_proposals (incident_id, action_id, status, plan_hash, proposed_by, proposed_at,
       expires_at, required_approvals, body, result, updated_at)
       VALUES (@incidentId, @actionId, 'pending', @planHash, @proposedBy, @proposedAt, @expiresAt, @requiredApprovals, @body, NULL, @proposedAt)`,
    ),
    getProposal: db.prepare(
      'SELECT id, status, result, updated_at, body FROM remediation_proposals WHERE id = ?',
    ),
    approvers: db.prepare(
      'SELECT approver FROM remediation_approvals WHERE proposal_id = ? ORDER BY at, approver',
    ),
    insertApproval: db.prepare(
      'INSERT OR IGNORE INTO remediation_approvals (proposal_id, approver, plan_hash, at) VALUES (?, ?, ?, ?)',
    ),
    setStatus: db.prepare(
      'UPDATE remediation_proposals SET status = @to, result = COALESCE(@result, result), updated_at = @at WHERE id = @id AND status = @from',
    ),
    insertExecution: db.prepare(
      'INSERT OR IGNORE INTO remediation_executions (proposal_id, action_id, started_by, started_at) VALUES (?, ?, ?, ?)',
    ),
    finishExecution: db.prepare('UPDATE remediation_executions SET outcome = ? WHERE proposal_id = ?'),
    countExecutions: db.prepare(
      "SELECT COUNT(*) AS n FROM remediation_executions WHERE action_id = ? AND started_at >= ? AND (outcome IS NULL OR outcome <> 'void')",
    ),
    countVerified: db.prepare(
      "SELECT COUNT(*) AS n FROM remediation_executions WHERE action_id = ? AND outcome = 'succeeded'",
    ),
    pendingByHash: db.prepare(
      "SELECT id FROM remediation_proposals WHERE plan_hash = ? AND status = 'pending'",
    ),
    duePending: db.prepare(
      "SELECT id FROM remediation_proposals WHERE status = 'pending' AND expires_at <= ?",
    ),
    lastAudit: db.prepare('SELECT seq, hash FROM remediation_audit ORDER BY seq DESC LIMIT 1'),
    insertAudit: db.prepare(
      `INSERT INTO remediation_audit (seq, at, actor, event, proposal_id, incident_id, action_id, plan_hash, result, detail, prev_hash, hash)
       VALUES (@seq, @at, @actor, @event, @proposalId, @incidentId, @actionId, @planHash, @result, @detail, @prevHash, @hash)`,
    ),
    putHead: db.prepare(
      'INSERT INTO remediation_audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    ),
    getSetting: db.prepare('SELECT value FROM remediation_settings WHERE key = ?'),
    putSetting: db.prepare(
      'INSERT INTO remediation_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };

  function readProposal(id: number): Proposal | undefined {
    const row = q.getProposal.get(id) as ProposalRow | undefined;
    if (!row) return undefined;
    const approvers = (q.approvers.all(id) as { approver: string }[]).map((a) => a.approver);
    return toProposal(row, approvers);
  }

  function append(input: AuditInput): AuditRecord {
    const previous = q.lastAudit.get() as { seq: number; hash: string } | undefined;
    const record = chainAuditRecord(input, previous);
    q.insertAudit.run({ ...record, detail: JSON.stringify(record.detail) });
    q.putHead.run(record.seq, record.hash);
    return record;
  }

  function move(id: number, change: Transition): Proposal | undefined {
    const result = change.result === undefined ? null : JSON.stringify(change.result);
    for (const from of change.from) {
      if (q.setStatus.run({ id, from, to: change.to, at: change.at, result }).changes === 1) {
        append(change.audit);
        return readProposal(id);
      }
    }
    return undefined;
  }

  /** One atomic unit; retried while another connection holds the write lock. */
  const atomically = atomicRunner(db, 'remediation store');

  function expireOne(p: Proposal, now: number): Proposal | undefined {
    return move(p.id, expiryOf(p, now));
  }

  return {
    createProposal: (input: NewProposal, audit: AuditInput) =>
      atomically(() => {
        const same = q.pendingByHash.get(input.planHash) as { id: number } | undefined;
        if (same) return readProposal(same.id)!;
        const { lastInsertRowid } = q.insertProposal.run({
          incidentId: input.incidentId,
          actionId: input.actionId,
          planHash: input.planHash,
          proposedBy: input.proposedBy,
          proposedAt: input.proposedAt,
          expiresAt: input.expiresAt,
          requiredApprovals: input.requiredApprovals,
          body: JSON.stringify(input),
        });
        const id = Number(lastInsertRowid);
        append({
          ...audit,
          proposalId: id,
          incidentId: input.incidentId,
          actionId: input.actionId,
          planHash: input.planHash,
        });
        return readProposal(id)!;
      }),
    getProposal: async (id) => readProposal(id),
    listProposals: async ({ incidentId, status, limit }) => {
      const rows = db
        .prepare(
          `SELECT id FROM remediation_proposals
           WHERE (@incidentId IS NULL OR incident_id = @incidentId) AND (@status IS NULL OR status = @status)
           ORDER BY id DESC LIMIT @limit`,
        )
        .all({ incidentId: incidentId ?? null, status: status ?? null, limit }) as { id: number }[];
      return rows.map((r) => readProposal(r.id)!).reverse();
    },
    recordApproval: ({ proposalId, ...attempt }) =>
      atomically((): ApprovalOutcome => {
        const p = readProposal(proposalId);
        if (!p) return { kind: 'refused', code: 'UNKNOWN', proposal: undefined };
        const base = approvalAuditBase(p, attempt);
        // Refusals are audited too: who tried to approve what, and why it was not counted.
        const refuse = (code: ApprovalRefusal): ApprovalOutcome => {
          append({ ...base, event: 'approval-refused', result: code });
          return { kind: 'refused', code, proposal: p };
        };
        const refusal = approvalRefusal(p, attempt);
        if (refusal === 'EXPIRED')
          return { kind: 'refused', code: refusal, proposal: expireOne(p, attempt.at) ?? p };
        if (refusal) return refuse(refusal);
        if (q.insertApproval.run(proposalId, attempt.approver, attempt.planHash, attempt.at).changes === 0)
          return refuse('DUPLICATE');
        append({ ...base, event: 'approval-recorded' });
        const approval = approvalTransition(p, attempt);
        if (!approval) return { kind: 'recorded', proposal: readProposal(proposalId)! };
        return { kind: 'approved', proposal: move(proposalId, approval)! };
      }),
    transition: (id, change) =>
      atomically(() => {
        const moved = move(id, change);
        if (moved && ['succeeded', 'failed', 'verify-failed', 'void'].includes(change.to))
          q.finishExecution.run(change.to, id);
        return moved;
      }),
    claimExecution: (id, actor, at) =>
      atomically(() => {
        const p = readProposal(id);
        if (p?.status !== 'approved') return undefined;
        if (q.insertExecution.run(id, p.actionId, actor, at).changes === 0) return undefined;
        return move(id, executionStartOf(p, actor, at));
      }),
    countExecutions: async (actionId, since) => (q.countExecutions.get(actionId, since) as { n: number }).n,
    countVerifiedRuns: async (actionId) => (q.countVerified.get(actionId) as { n: number }).n,
    expireDue: (now) =>
      atomically(() =>
        (q.duePending.all(now) as { id: number }[])
          .map((r) => expireOne(readProposal(r.id)!, now))
          .filter((p): p is Proposal => p !== undefined),
      ),
    appendAudit: (input) => atomically(() => append(input)),
    listAudit: async ({ incidentId, limit }) => {
      const rows = (
        incidentId === undefined
          ? db.prepare('SELECT * FROM remediation_audit ORDER BY seq DESC LIMIT ?').all(limit)
          : db
              .prepare('SELECT * FROM remediation_audit WHERE incident_id = ? ORDER BY seq DESC LIMIT ?')
              .all(incidentId, limit)
      ) as AuditRow[];
      return rows.map(toAudit).reverse();
    },
    countAuditEvents: async () =>
      Object.fromEntries(
        (
          db.prepare('SELECT event, count(*) AS n FROM remediation_audit GROUP BY event').all() as {
            event: string;
            n: number;
          }[]
        ).map((r) => [r.event, r.n]),
      ),
    readAuditChain: async () =>
      (db.prepare('SELECT * FROM remediation_audit ORDER BY seq').all() as AuditRow[]).map(toAudit),
    auditHead: async () =>
      db.prepare('SELECT seq, hash FROM remediation_audit_head WHERE id = 1').get() as
        | { seq: number; hash: string }
        | undefined,
    getCardMessage: async (proposalId, surface) => {
      const row = db
        .prepare('SELECT ref FROM remediation_messages WHERE proposal_id = ? AND surface = ?')
        .get(proposalId, surface) as { ref: string } | undefined;
      return row && messageRef.parse(JSON.parse(row.ref));
    },
    saveCardMessage: async (proposalId, ref, now) => {
      db.prepare(
        `INSERT INTO remediation_messages (proposal_id, surface, ref, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (proposal_id, surface) DO UPDATE SET ref = excluded.ref`,
      ).run(proposalId, ref.surface, JSON.stringify(ref), now);
    },
    getSetting: async (key) => (q.getSetting.get(key) as { value: string } | undefined)?.value,
    setSetting: (key, value, audit) =>
      atomically(() => {
        q.putSetting.run(key, value);
        append(audit);
      }),
    close: async () => {
      db.close();
    },
  };
}
