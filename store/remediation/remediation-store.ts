import { sql } from 'kysely';
import { messageRef } from '../../core/outbox/outbox-entry.ts';
import { type AuditInput, type AuditRecord, chainAuditRecord } from '../../core/remediation/audit.ts';
import type { NewProposal, Proposal } from '../../core/remediation/proposal.ts';
import { shared } from '../owned.ts';
import { type Executor, raw, type SqlEngine } from '../sql/executor.ts';
import {
  type ApprovalAttempt,
  approvalAuditBase,
  approvalRefusal,
  approvalTransition,
} from './approval-rule.ts';
import type { ApprovalOutcome, ApprovalRefusal, RemediationRepo, Transition } from './remediation-repo.ts';
import { executionStartOf, expiryOf, toAudit, toProposal } from './remediation-rows.ts';

const FINISHED: readonly string[] = ['succeeded', 'failed', 'verify-failed', 'void'];

/**
 * Remediation state, once for both engines. Every rule that must hold across replicas is enforced
 * here, in one atomic unit per method: four-eyes and plan binding (approval-rule.ts, plus one
 * approval row per person), expiry, exactly-once execution (one execution row per proposal, the
 * primary key deciding a race) and the audit chain (appended under the write lock).
 */
export function createRemediationRepo(engine: SqlEngine): RemediationRepo {
  const { qb } = engine;

  /**
   * One unit that may write the chain. On PostgreSQL it first takes the remediation write lock:
   * LOCK TABLE is the one statement that does not fix the transaction's snapshot, so the snapshot
   * is taken after the lock is granted and sees every earlier write; appends never race and
   * writers do not livelock re-running each other. SQLite's transactions are serial already.
   */
  const locked = <T>(fn: (db: Executor) => Promise<T>): Promise<T> =>
    engine.atomically(async (db) => {
      if (engine.dialect === 'postgres') {
        await db.run(raw(engine, sql`LOCK TABLE remediation_write_lock IN EXCLUSIVE MODE`));
      }
      return fn(db);
    });

  async function readProposal(db: Executor, id: number): Promise<Proposal | undefined> {
    const row = await db.first(
      qb
        .selectFrom('remediation_proposals')
        .select(['id', 'status', 'result', 'updated_at', 'body'])
        .where('id', '=', id),
    );
    if (!row) return undefined;
    const approvers = await db.all(
      qb
        .selectFrom('remediation_approvals')
        .select('approver')
        .where('proposal_id', '=', id)
        .orderBy('at')
        .orderBy('approver'),
    );
    return toProposal(
      row,
      approvers.map((a) => a.approver),
    );
  }

  /** Appends one record to the chain and moves its head; callers hold the write lock. */
  async function append(db: Executor, input: AuditInput): Promise<AuditRecord> {
    const previous = await db.first(
      qb.selectFrom('remediation_audit').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1),
    );
    const r = chainAuditRecord(input, previous);
    await db.run(
      qb.insertInto('remediation_audit').values({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        event: r.event,
        proposal_id: r.proposalId,
        incident_id: r.incidentId,
        action_id: r.actionId,
        plan_hash: r.planHash,
        result: r.result,
        detail: JSON.stringify(r.detail),
        prev_hash: r.prevHash,
        hash: r.hash,
      }),
    );
    await db.run(
      qb
        .insertInto('remediation_audit_head')
        .values({ id: 1, seq: r.seq, hash: r.hash })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({ seq: eb.ref('excluded.seq'), hash: eb.ref('excluded.hash') })),
        ),
    );
    return r;
  }

  /** Compare-and-set of the status, audited; undefined when the proposal is in none of `from`. */
  async function move(db: Executor, id: number, change: Transition): Promise<Proposal | undefined> {
    const result = change.result === undefined ? null : JSON.stringify(change.result);
    const moved = await db.run(
      qb
        .updateTable('remediation_proposals')
        .set((eb) => ({
          status: change.to,
          result: eb.fn.coalesce(eb.val(result), eb.ref('result')),
          updated_at: change.at,
        }))
        .where('id', '=', id)
        .where('status', 'in', change.from),
    );
    if (moved === 0) return undefined;
    await append(db, change.audit);
    return readProposal(db, id);
  }

  const expireOne = (db: Executor, p: Proposal, now: number) => move(db, p.id, expiryOf(p, now));

  async function pendingWithHash(db: Executor, planHash: string): Promise<number | undefined> {
    const row = await db.first(
      qb
        .selectFrom('remediation_proposals')
        .select('id')
        .where('plan_hash', '=', planHash)
        .where('status', '=', 'pending'),
    );
    return row?.id;
  }

  async function createProposal(db: Executor, input: NewProposal, audit: AuditInput): Promise<Proposal> {
    // A double click on Propose: the same plan is already pending (the partial unique index too).
    const same = await pendingWithHash(db, input.planHash);
    if (same !== undefined) return (await readProposal(db, same))!;
    const created = await db.first(
      qb
        .insertInto('remediation_proposals')
        .values({
          incident_id: input.incidentId,
          action_id: input.actionId,
          status: 'pending',
          plan_hash: input.planHash,
          proposed_by: input.proposedBy,
          proposed_at: input.proposedAt,
          expires_at: input.expiresAt,
          required_approvals: input.requiredApprovals,
          body: JSON.stringify(input),
          result: null,
          updated_at: input.proposedAt,
        })
        .onConflict((oc) => oc.column('plan_hash').where('status', '=', sql.lit('pending')).doNothing())
        .returning('id'),
    );
    if (!created) return (await readProposal(db, (await pendingWithHash(db, input.planHash))!))!;
    await append(db, {
      ...audit,
      proposalId: created.id,
      incidentId: input.incidentId,
      actionId: input.actionId,
      planHash: input.planHash,
    });
    return (await readProposal(db, created.id))!;
  }

  async function recordApproval(
    db: Executor,
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
    // One row per person and proposal: a second approval by the same person inserts nothing.
    const inserted = await db.run(
      qb
        .insertInto('remediation_approvals')
        .values({
          proposal_id: proposalId,
          approver: attempt.approver,
          plan_hash: attempt.planHash,
          at: attempt.at,
        })
        .onConflict((oc) => oc.columns(['proposal_id', 'approver']).doNothing()),
    );
    if (inserted === 0) return refuse('DUPLICATE');
    await append(db, { ...base, event: 'approval-recorded' });
    const approval = approvalTransition(p, attempt);
    if (!approval) return { kind: 'recorded', proposal: (await readProposal(db, proposalId))! };
    return { kind: 'approved', proposal: (await move(db, proposalId, approval))! };
  }

  async function claimExecution(db: Executor, id: number, actor: string, at: number) {
    const p = await readProposal(db, id);
    if (p?.status !== 'approved') return undefined;
    // The primary key is the guarantee: a second claim, from any replica, inserts nothing.
    const claimed = await db.run(
      qb
        .insertInto('remediation_executions')
        .values({ proposal_id: id, action_id: p.actionId, started_by: actor, started_at: at })
        .onConflict((oc) => oc.column('proposal_id').doNothing()),
    );
    if (claimed === 0) return undefined;
    return move(db, id, executionStartOf(p, actor, at));
  }

  const { db } = engine;
  return {
    createProposal: (input, audit) => locked((d) => createProposal(d, input, audit)),
    getProposal: (id) => readProposal(db, id),
    async listProposals({ incidentId, status, limit }) {
      let query = qb.selectFrom('remediation_proposals').select('id').orderBy('id', 'desc').limit(limit);
      if (incidentId !== undefined) query = query.where('incident_id', '=', incidentId);
      if (status !== undefined) query = query.where('status', '=', status);
      const found: Proposal[] = [];
      for (const { id } of await db.all(query)) {
        const p = await readProposal(db, id);
        if (p) found.push(p);
      }
      return found.reverse();
    },
    recordApproval: (input) => locked((d) => recordApproval(d, input)),
    transition: (id, change) =>
      locked(async (d) => {
        const moved = await move(d, id, change);
        if (moved && FINISHED.includes(change.to)) {
          await d.run(
            qb
              .updateTable('remediation_executions')
              .set({ outcome: change.to })
              .where('proposal_id', '=', id),
          );
        }
        return moved;
      }),
    claimExecution: (id, actor, at) => locked((d) => claimExecution(d, id, actor, at)),
    async countExecutions(actionId, since) {
      const row = await db.first(
        qb
          .selectFrom('remediation_executions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action_id', '=', actionId)
          .where('started_at', '>=', since)
          .where((eb) => eb.or([eb('outcome', 'is', null), eb('outcome', '<>', 'void')])),
      );
      return Number(row?.n ?? 0);
    },
    async countVerifiedRuns(actionId) {
      const row = await db.first(
        qb
          .selectFrom('remediation_executions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action_id', '=', actionId)
          .where('outcome', '=', 'succeeded'),
      );
      return Number(row?.n ?? 0);
    },
    expireDue: (now) =>
      locked(async (d) => {
        const due = await d.all(
          qb
            .selectFrom('remediation_proposals')
            .select('id')
            .where('status', '=', 'pending')
            .where('expires_at', '<=', now)
            .orderBy('id'),
        );
        const expired: Proposal[] = [];
        for (const { id } of due) {
          const p = await readProposal(d, id);
          const moved = p && (await expireOne(d, p, now));
          if (moved) expired.push(moved);
        }
        return expired;
      }),
    appendAudit: (input) => locked((d) => append(d, input)),
    async listAudit({ incidentId, limit }) {
      let query = qb.selectFrom('remediation_audit').selectAll().orderBy('seq', 'desc').limit(limit);
      if (incidentId !== undefined) query = query.where('incident_id', '=', incidentId);
      return (await db.all(query)).map(toAudit).reverse();
    },
    async countAuditEvents() {
      const rows = await db.all(
        qb
          .selectFrom('remediation_audit')
          .select((eb) => ['event', eb.fn.countAll<number>().as('n')])
          .groupBy('event'),
      );
      return Object.fromEntries(rows.map((r) => [r.event, Number(r.n)]));
    },
    readAuditChain: async () =>
      (await db.all(qb.selectFrom('remediation_audit').selectAll().orderBy('seq'))).map(toAudit),
    async auditHead() {
      const row = await db.first(
        qb.selectFrom('remediation_audit_head').select(['seq', 'hash']).where('id', '=', 1),
      );
      return row && { seq: Number(row.seq), hash: row.hash };
    },
    async getCardMessage(proposalId, surface) {
      const row = await db.first(
        qb
          .selectFrom('remediation_messages')
          .select('ref')
          .where('proposal_id', '=', proposalId)
          .where('surface', '=', surface),
      );
      return row && messageRef.parse(JSON.parse(row.ref));
    },
    async saveCardMessage(proposalId, ref, now) {
      await db.run(
        qb
          .insertInto('remediation_messages')
          .values({
            proposal_id: proposalId,
            surface: ref.surface,
            ref: JSON.stringify(ref),
            created_at: now,
          })
          .onConflict((oc) =>
            oc.columns(['proposal_id', 'surface']).doUpdateSet((eb) => ({ ref: eb.ref('excluded.ref') })),
          ),
      );
    },
    async getSetting(key) {
      const row = await db.first(
        qb.selectFrom('remediation_settings').select('value').where('key', '=', key),
      );
      return row?.value;
    },
    setSetting: (key, value, audit) =>
      locked(async (d) => {
        await d.run(
          qb
            .insertInto('remediation_settings')
            .values({ key, value })
            .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
        );
        await append(d, audit);
      }),
    close: shared,
  };
}
