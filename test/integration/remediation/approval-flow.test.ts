import { AppsV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { REMEDIATION_VERBS } from '../../../cards/templates/remediation-proposal.ts';
import type { ChatUser } from '../../../core/chat-surface.ts';
import type { UserFacingError } from '../../../core/errors.ts';
import { verifyAuditChain } from '../../../core/remediation/audit.ts';
import { mergePatch as merge } from '../../../remediation/executors/kubernetes.ts';
import {
  alice,
  bob,
  carol,
  type FlowHarness,
  mallory,
  place,
  postedText,
  refusal,
  replicasOf,
  startFlow,
} from './harness.ts';

const ns = 'ml';

describe('remediation approval flow against the simulated cluster', () => {
  let h: FlowHarness;
  afterEach(() => h.close());

  const proposeScale = (replicas = 4) =>
    h.service.propose({
      actionId: 'scale-replicas',
      params: { deployment: 'embeddings', replicas: String(replicas) },
      user: alice,
      place,
      incidentId: null,
    });

  it('runs propose → approve → apply → verify, audited end to end', async () => {
    h = await startFlow();
    const p = await proposeScale(4);
    expect(p.status).toBe('pending');
    expect(p.requiredApprovals).toBe(1);
    expect(p.plan.diff).toEqual(['deployment embeddings replicas 2 → 4']);
    expect(p.dryRun.ok).toBe(true);
    expect(await replicasOf(h, 'embeddings')).toBe(2);

    const approved = await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    expect(approved.kind).toBe('approved');
    await h.service.idle();
    const done = await h.repo.getProposal(p.id);
    expect(done?.status).toBe('succeeded');
    expect(done?.approvers).toEqual(['console:bob']);
    expect(await replicasOf(h, 'embeddings')).toBe(4);
    expect(postedText(h.posted)).toContain('verified.');

    const chain = await h.repo.readAuditChain();
    expect(chain.map((r) => r.event)).toEqual([
      'proposed',
      'approval-recorded',
      'approved',
      'execution-started',
      'executed',
      'verified',
    ]);
    expect(chain.map((r) => r.actor)).toEqual([
      'console:alice',
      'console:bob',
      'console:bob',
      'console:bob',
      'bot',
      'bot',
    ]);
    expect(new Set(chain.map((r) => r.planHash))).toEqual(new Set([p.planHash]));
    expect(verifyAuditChain(chain)).toEqual({ ok: true, count: 6 });
  });

  it('refuses the proposer approving their own plan, and an approver outside the policy', async () => {
    h = await startFlow();
    const p = await proposeScale();
    expect(
      (await refusal(h.service.approve({ proposalId: p.id, planHash: p.planHash, user: alice }))).code,
    ).toBe('SELF_APPROVAL');
    const denied = await refusal(
      h.service.approve({ proposalId: p.id, planHash: p.planHash, user: mallory }),
    );
    expect(denied.code).toBe('NOT_AUTHORISED');
    expect(denied.message).toContain('console:mallory may not approve');
    expect((await h.repo.getProposal(p.id))?.status).toBe('pending');
    expect(await replicasOf(h, 'embeddings')).toBe(2);
    const refused = (await h.repo.readAuditChain()).filter((r) => r.event === 'approval-refused');
    expect(refused.map((r) => [r.actor, r.result])).toEqual([
      ['console:alice', 'SELF_APPROVAL'],
      ['console:mallory', 'NOT_AUTHORISED'],
    ]);
  });

  it('takes an agent as proposer but never as approver, even when a group lists it', async () => {
    const triage: ChatUser = { id: 'mcp:triage', displayName: 'triage' };
    const other: ChatUser = { id: 'mcp:other', displayName: 'other' };
    h = await startFlow({ groups: { oncall: ['console:alice', 'console:bob', 'mcp:triage', 'mcp:other'] } });
    const p = await h.service.propose({
      actionId: 'scale-replicas',
      params: { deployment: 'embeddings', replicas: '4' },
      user: triage,
      place,
      incidentId: null,
    });
    expect(p.proposedBy).toBe('mcp:triage');
    const refused = await refusal(h.service.approve({ proposalId: p.id, planHash: p.planHash, user: other }));
    expect(refused.code).toBe('AGENT_APPROVER');
    expect(refused.message).toMatch(/agent \(MCP client\) can never approve/);
    expect((await h.repo.getProposal(p.id))?.status).toBe('pending');
    expect(await replicasOf(h, 'embeddings')).toBe(2);
    expect((await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob })).kind).toBe(
      'approved',
    );
    await h.service.idle();
    const chain = await h.repo.readAuditChain();
    expect(chain.filter((r) => r.event === 'approval-refused').map((r) => [r.actor, r.result])).toEqual([
      ['mcp:other', 'AGENT_APPROVER'],
    ]);
    expect(chain.find((r) => r.event === 'proposed')?.actor).toBe('mcp:triage');
  });

  it('refuses an approval after the proposal expired, and records the expiry', async () => {
    h = await startFlow();
    const p = await proposeScale();
    h.sim.clock.advance(15 * 60_000);
    expect(
      (await refusal(h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob }))).code,
    ).toBe('EXPIRED');
    expect((await h.repo.getProposal(p.id))?.status).toBe('expired');
    expect((await h.repo.readAuditChain()).map((r) => r.event)).toEqual(['proposed', 'expired']);
    expect(await replicasOf(h, 'embeddings')).toBe(2);
  });

  it('sweeps expired proposals and says so on their card', async () => {
    h = await startFlow({ approvalTtl: '5m' });
    const p = await proposeScale();
    h.sim.clock.advance(4 * 60_000);
    expect(await h.service.sweepExpired()).toBe(0);
    h.sim.clock.advance(60_000);
    expect(await h.service.sweepExpired()).toBe(1);
    expect((await h.repo.getProposal(p.id))?.status).toBe('expired');
    expect(h.cardSyncs.at(-1)).toBe(p.id);
    const card = (await h.cardOf(p.id))!;
    expect(card.header?.subtitle).toMatch(/^Expired/);
    expect(card.actions).toEqual([]);
  });

  it('voids the approval when the target changed, re-plans and asks again', async () => {
    h = await startFlow();
    const p = await proposeScale(4);
    // Someone scales by hand between the card being shown and the approval.
    await h.sim.kubeConfig
      .makeApiClient(AppsV1Api)
      .patchNamespacedDeploymentScale(
        { name: 'embeddings', namespace: ns, body: { spec: { replicas: 3 } } },
        merge,
      );
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    await h.service.idle();
    expect((await h.repo.getProposal(p.id))?.status).toBe('void');
    expect(await replicasOf(h, 'embeddings')).toBe(3);
    const all = await h.repo.listProposals({ limit: 10 });
    const next = all.find((x) => x.supersedes === p.id);
    expect(next?.status).toBe('pending');
    expect(next?.plan.diff).toEqual(['deployment embeddings replicas 3 → 4']);
    expect(next?.proposedBy).toBe('console:alice');
    expect(postedText(h.posted)).toContain('approval void');
    expect(h.cardSyncs).toContain(next!.id);
    expect(
      (await h.cardOf(next!.id))!.actions.some(
        (a) => a.verb === REMEDIATION_VERBS.approve && a.data.proposalId === next?.id,
      ),
    ).toBe(true);
    // The void proposal's own card lost its buttons too.
    expect(h.cardSyncs).toContain(p.id);
    expect((await h.cardOf(p.id))!.actions).toEqual([]);
    const events = (await h.repo.readAuditChain()).map((r) => r.event);
    expect(events).toContain('voided');
    // The new plan executes normally once approved.
    await h.service.approve({ proposalId: next!.id, planHash: next!.planHash, user: carol });
    await h.service.idle();
    expect(await replicasOf(h, 'embeddings')).toBe(4);
  });

  it('executes exactly once when approvals race, on one replica and across two', async () => {
    h = await startFlow();
    const other = h.replica();
    const p = await proposeScale(4);
    const attempts = [
      h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob }),
      other.approve({ proposalId: p.id, planHash: p.planHash, user: carol }),
      h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob }),
      other.approve({ proposalId: p.id, planHash: p.planHash, user: carol }),
    ];
    const results = await Promise.allSettled(attempts);
    await h.service.idle();
    await other.idle();
    const approved = results.filter((r) => r.status === 'fulfilled' && r.value.kind === 'approved');
    expect(approved).toHaveLength(1);
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r.reason as UserFacingError).code);
    expect(refused.sort()).toEqual(expect.arrayContaining(['NOT_PENDING']));
    expect(refused).toHaveLength(3);
    const events = (await h.repo.readAuditChain()).map((r) => r.event);
    expect(events.filter((e) => e === 'execution-started')).toHaveLength(1);
    expect(events.filter((e) => e === 'executed')).toHaveLength(1);
    // A retried execution request claims nothing.
    const { executeApproved } = await import('../../../remediation/flow/execute.ts');
    expect(await executeApproved(h.deps, p.id, 'console:bob')).toBeUndefined();
    expect(await replicasOf(h, 'embeddings')).toBe(4);
    expect(verifyAuditChain(await h.repo.readAuditChain()).ok).toBe(true);
  });

  it('refuses a plan that breaks a guardrail, with the reason, and audits the refusal', async () => {
    h = await startFlow();
    const tooMany = await refusal(
      h.service.propose({
        actionId: 'scale-replicas',
        params: { deployment: 'embeddings', replicas: '30' },
        user: alice,
        place,
        incidentId: null,
      }),
    );
    expect(tooMany.code).toBe('GUARDRAIL');
    expect(tooMany.message).toBe('Refused by guardrail: 30 replicas is above the maximum of 16.');
    const bigStep = await refusal(
      h.service.propose({
        actionId: 'scale-replicas',
        params: { deployment: 'embeddings', replicas: '9' },
        user: alice,
        place,
        incidentId: null,
      }),
    );
    expect(bigStep.message).toContain('the maximum step is 4');
    const ns2 = await refusal(
      h.service.propose({
        actionId: 'scale-replicas',
        params: { namespace: 'kube-system', deployment: 'coredns', replicas: '3' },
        user: alice,
        place,
        incidentId: null,
      }),
    );
    expect(ns2.message).toContain('namespace "kube-system" is not one of ml');
    const batch = await refusal(
      h.service.propose({
        actionId: 'reduce-batch-size',
        params: { batchSize: '2' },
        user: alice,
        place,
        incidentId: null,
      }),
    );
    expect(batch.message).toContain('batch size 2 is below the minimum of 4');
    // Nothing was proposed, but every refusal is on record with its reason.
    const chain = await h.repo.readAuditChain();
    expect(chain.map((r) => [r.event, r.actor, r.result])).toEqual(
      Array(4).fill(['proposal-refused', 'console:alice', 'GUARDRAIL']),
    );
    expect(chain[0]?.detail.reason).toBe(tooMany.message);
    expect(await h.repo.listProposals({ limit: 10 })).toEqual([]);
  });

  it('offers the rollback when verification fails before its deadline', async () => {
    // Pods need 10 s to become ready; verification gives up after 2 s.
    h = await startFlow({ verifyTimeout: '2s' });
    const p = await proposeScale(4);
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    await h.service.idle();
    const failed = await h.repo.getProposal(p.id);
    expect(failed?.status).toBe('verify-failed');
    expect(failed?.result?.detail.join()).toContain('2 of 4 replicas ready');
    const offer = h.posted.flatMap((m) => m.actions).find((a) => a.verb === REMEDIATION_VERBS.propose);
    expect(offer?.data).toMatchObject({ action: 'scale-replicas', rollbackOf: p.id });
    expect(JSON.parse(String(offer?.data.params))).toEqual({
      namespace: 'ml',
      deployment: 'embeddings',
      replicas: 2,
    });
    const events = (await h.repo.readAuditChain()).map((r) => r.event);
    expect(events.slice(-2)).toEqual(['verify-failed', 'rollback-offered']);
    // The offered rollback is itself a proposal, approved like any other.
    const back = await h.service.propose({
      actionId: 'scale-replicas',
      params: JSON.parse(String(offer?.data.params)),
      user: bob,
      place,
      incidentId: null,
      rollbackOf: Number(offer?.data.rollbackOf),
    });
    expect(back.plan.diff).toEqual(['deployment embeddings replicas 4 → 2']);
    // Once the rollback is verified, the failed proposal's card says it was rolled back.
    await h.service.approve({ proposalId: back.id, planHash: back.planHash, user: alice });
    await h.service.idle();
    expect((await h.repo.getProposal(back.id))?.status).toBe('succeeded');
    expect((await h.repo.getProposal(p.id))?.status).toBe('rolled-back');
    expect(h.cardSyncs.at(-1)).toBe(p.id);
    const card = (await h.cardOf(p.id))!;
    expect(card.header?.subtitle).toMatch(/^Rolled back/);
    expect(card.actions).toEqual([]);
    expect((await h.repo.readAuditChain()).at(-1)).toMatchObject({
      event: 'rolled-back',
      proposalId: p.id,
      detail: { rollback: back.id },
    });
  });

  it('needs two distinct approvers for a high-risk action', async () => {
    h = await startFlow();
    const p = await h.service.propose({
      actionId: 'cordon-node',
      params: { node: 'node-5' },
      user: alice,
      place,
      incidentId: null,
    });
    expect(p.requiredApprovals).toBe(2);
    const first = await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    expect(first.kind).toBe('recorded');
    expect(
      (await refusal(h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob }))).code,
    ).toBe('DUPLICATE');
    const second = await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: carol });
    expect(second.kind).toBe('approved');
    await h.service.idle();
    expect((await h.repo.getProposal(p.id))?.status).toBe('succeeded');
  });

  it('honours the kill switch, the per-action rate limit and who may propose', async () => {
    h = await startFlow({ actions: { 'scale-replicas': { rateLimit: { max: 1, window: '1h' } } } });
    await h.service.setEnabled(false, alice);
    expect((await refusal(proposeScale())).code).toBe('REMEDIATION_OFF');
    expect((await refusal(h.service.setEnabled(true, mallory))).code).toBe('NOT_AUTHORISED');
    await h.service.setEnabled(true, bob);
    const p = await proposeScale(3);
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    await h.service.idle();
    expect((await refusal(proposeScale(4))).code).toBe('RATE_LIMITED');
    expect(
      (
        await refusal(
          h.service.propose({
            actionId: 'cordon-node',
            params: { node: 'node-1' },
            user: mallory,
            place,
            incidentId: null,
          }),
        )
      ).code,
    ).toBe('NOT_AUTHORISED');
    const events = (await h.repo.readAuditChain()).map((r) => r.event);
    expect(events.slice(0, 2)).toEqual(['remediation-off', 'remediation-on']);
  });
});
