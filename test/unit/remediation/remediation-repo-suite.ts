import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../core/remediation/audit.ts';
import { hashPlan, type Plan } from '../../../core/remediation/plan.ts';
import type { NewProposal } from '../../../core/remediation/proposal.ts';
import type { RemediationRepo } from '../../../store/remediation/remediation-repo.ts';

export const T0 = Date.parse('2026-11-28T09:00:00Z');
const plan: Plan = {
  actionId: 'scale-replicas',
  params: { deployment: 'llm-api', replicas: 6 },
  summary: 'scale',
  targets: [{ kind: 'Deployment', namespace: 'ml', name: 'llm-api', resourceVersion: '7' }],
  current: { replicas: 4 },
  desired: { replicas: 6 },
  diff: ['replicas 4 → 6'],
  rollback: { description: 'back', action: 'scale-replicas', params: { replicas: 4 } },
  notes: [],
};

export function newProposal(overrides: Partial<NewProposal> = {}): NewProposal {
  return {
    incidentId: 5,
    actionId: 'scale-replicas',
    tier: 'P2',
    risk: 'medium',
    plan,
    planHash: hashPlan(plan),
    resourceVersions: { 'Deployment/ml/llm-api': '7' },
    dryRun: { ok: true, detail: ['ok'] },
    proposedBy: 'console:alice',
    proposedAt: T0,
    expiresAt: T0 + 15 * 60_000,
    requiredApprovals: 1,
    place: { surface: 'console', channel: 'oncall', thread: null },
    supersedes: null,
    ...overrides,
  };
}

/**
 * The rules every RemediationRepo engine must enforce by itself (SQLite and PostgreSQL): run this
 * suite against each implementation.
 */
export function describeRemediationRepo(
  engine: string,
  open: () => Promise<RemediationRepo>,
  /** Empties the engine's tables after each test (a fresh `:memory:` database needs nothing). */
  reset: () => Promise<void> = async () => undefined,
): void {
  describe(`RemediationRepo (${engine})`, () => {
    let repo: RemediationRepo;
    beforeEach(async () => {
      repo = await open();
    });
    afterEach(async () => {
      await repo.close();
      await reset();
    });

    const create = (o: Partial<NewProposal> = {}) =>
      repo.createProposal(newProposal(o), {
        at: T0,
        actor: 'console:alice',
        event: 'proposed',
        incidentId: 5,
      });
    const approve = (id: number, approver: string, at = T0 + 1000, planHash = hashPlan(plan)) =>
      repo.recordApproval({ proposalId: id, approver, planHash, at });

    it('keeps the audit head beside the chain, and where each proposal card was posted', async () => {
      expect(await repo.auditHead()).toBeUndefined();
      const p = await create({ rollbackOf: 3 });
      expect(p.rollbackOf).toBe(3);
      await approve(p.id, 'console:bob');
      const chain = await repo.readAuditChain();
      expect(await repo.auditHead()).toEqual({ seq: chain.length, hash: chain.at(-1)!.hash });
      expect(verifyAuditChain(chain, [{ head: (await repo.auditHead())!, name: 'the head row' }]).ok).toBe(
        true,
      );

      expect(await repo.getCardMessage(p.id, 'console')).toBeUndefined();
      const ref = { surface: 'console' as const, channel: 'oncall', id: 'm-1', extra: {} };
      await repo.saveCardMessage(p.id, ref, T0);
      await repo.saveCardMessage(p.id, { ...ref, id: 'm-2' }, T0 + 1);
      expect(await repo.getCardMessage(p.id, 'console')).toEqual({ ...ref, id: 'm-2' });
      expect(await repo.getCardMessage(p.id, 'slack')).toBeUndefined();
    });

    it('moves a finished proposal to rolled-back once, and only from a finished state', async () => {
      const p = await create();
      const audit = { at: T0 + 5, actor: 'bot', event: 'rolled-back' as const, proposalId: p.id };
      const back = {
        from: ['succeeded', 'failed', 'verify-failed'] as const,
        to: 'rolled-back' as const,
        at: T0 + 5,
        audit,
      };
      expect(await repo.transition(p.id, { ...back, from: [...back.from] })).toBeUndefined();
      await approve(p.id, 'console:bob');
      await repo.claimExecution(p.id, 'bot', T0 + 2);
      await repo.transition(p.id, {
        from: ['executing'],
        to: 'verify-failed',
        at: T0 + 3,
        audit: { at: T0 + 3, actor: 'bot', event: 'verify-failed', proposalId: p.id },
      });
      expect((await repo.transition(p.id, { ...back, from: [...back.from] }))?.status).toBe('rolled-back');
      expect(await repo.transition(p.id, { ...back, from: [...back.from] })).toBeUndefined();
    });

    it('stores a proposal and audits it with its id', async () => {
      const p = await create();
      expect(p).toMatchObject({ id: 1, status: 'pending', approvers: [], result: null, plan, updatedAt: T0 });
      expect(await repo.getProposal(p.id)).toEqual(p);
      const [record] = await repo.readAuditChain();
      expect(record).toMatchObject({ seq: 1, event: 'proposed', proposalId: p.id, incidentId: 5 });
    });

    it('proposes the same plan once while it is pending', async () => {
      const [a, b] = await Promise.all([create(), create()]);
      expect(b?.id).toBe(a?.id);
      expect((await repo.readAuditChain()).map((r) => r.event)).toEqual(['proposed']);
      await repo.expireDue(T0 + 60 * 60_000);
      expect((await create()).id).not.toBe(a?.id);
    });

    it('refuses unknown, self, changed-plan, duplicate and late approvals', async () => {
      const p = await create({ requiredApprovals: 2 });
      expect((await approve(99, 'console:bob')).kind).toBe('refused');
      expect(await approve(p.id, 'console:alice')).toMatchObject({ kind: 'refused', code: 'SELF_APPROVAL' });
      expect(await approve(p.id, 'console:bob', T0 + 1, 'f'.repeat(64))).toMatchObject({
        code: 'PLAN_CHANGED',
      });
      expect(await approve(p.id, 'console:bob')).toMatchObject({ kind: 'recorded' });
      expect(await approve(p.id, 'console:bob')).toMatchObject({ kind: 'refused', code: 'DUPLICATE' });
      expect(await approve(p.id, 'console:carol', p.expiresAt)).toMatchObject({
        kind: 'refused',
        code: 'EXPIRED',
      });
      expect((await repo.getProposal(p.id))?.status).toBe('expired');
      expect(await approve(p.id, 'console:dave', T0 + 2)).toMatchObject({ code: 'NOT_PENDING' });
    });

    it('approves on the last required approval and executes at most once', async () => {
      const p = await create({ requiredApprovals: 2 });
      await approve(p.id, 'console:bob');
      const done = await approve(p.id, 'slack:U1');
      expect(done).toMatchObject({
        kind: 'approved',
        proposal: { status: 'approved', approvers: ['console:bob', 'slack:U1'] },
      });
      const claims = await Promise.all([
        repo.claimExecution(p.id, 'x', T0 + 5),
        repo.claimExecution(p.id, 'y', T0 + 5),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await repo.countExecutions('scale-replicas', T0)).toBe(1);
      const audit = { at: T0 + 9, actor: 'bot', event: 'verified' as const };
      const finished = await repo.transition(p.id, {
        from: ['executing'],
        to: 'succeeded',
        at: T0 + 9,
        result: { ok: true, detail: ['ok'] },
        audit,
      });
      expect(finished).toMatchObject({ status: 'succeeded', result: { ok: true, detail: ['ok'] } });
      expect(
        await repo.transition(p.id, { from: ['executing'], to: 'failed', at: T0 + 10, audit }),
      ).toBeUndefined();
      expect(await repo.countVerifiedRuns('scale-replicas')).toBe(1);
      expect(await repo.countExecutions('scale-replicas', T0 + 6)).toBe(0);
    });

    it('expires due proposals only, and lists by incident and status', async () => {
      const a = await create();
      const b = await create({ incidentId: 6, expiresAt: T0 + 60 * 60_000, planHash: 'b'.repeat(64) });
      expect((await repo.expireDue(T0 + 20 * 60_000)).map((p) => p.id)).toEqual([a.id]);
      expect((await repo.listProposals({ status: 'pending', limit: 10 })).map((p) => p.id)).toEqual([b.id]);
      expect((await repo.listProposals({ incidentId: 5, limit: 10 })).map((p) => p.id)).toEqual([a.id]);
      expect((await repo.listAudit({ incidentId: 5, limit: 10 })).map((r) => r.event)).toEqual([
        'proposed',
        'expired',
      ]);
    });

    it('keeps settings and an intact chain', async () => {
      expect(await repo.getSetting('remediation.enabled')).toBeUndefined();
      await repo.setSetting('remediation.enabled', 'off', {
        at: T0,
        actor: 'console:alice',
        event: 'remediation-off',
      });
      expect(await repo.getSetting('remediation.enabled')).toBe('off');
      await create();
      const chain = await repo.readAuditChain();
      expect(verifyAuditChain(chain)).toEqual({ ok: true, count: 2 });
      expect((await repo.listAudit({ limit: 1 })).map((r) => r.seq)).toEqual([2]);
    });
  });
}
