import { AppsV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { executeApproved } from '../../../remediation/flow/execute.ts';
import { alice, bob, type FlowHarness, place, postedText, startFlow } from './harness.ts';

describe('remediation after interruptions', () => {
  let h: FlowHarness;
  afterEach(() => h.close());

  const replicas = async () =>
    (
      await h.sim.kubeConfig
        .makeApiClient(AppsV1Api)
        .readNamespacedDeployment({ name: 'embeddings', namespace: 'ml' })
    ).spec?.replicas;

  /** A proposal approved in the store only (as if the bot died before starting the execution). */
  async function approvedInStore() {
    const p = await h.service.propose({
      actionId: 'scale-replicas',
      params: { deployment: 'embeddings', replicas: 3 },
      user: alice,
      place,
      incidentId: null,
    });
    const outcome = await h.repo.recordApproval({
      proposalId: p.id,
      approver: bob.id,
      planHash: p.planHash,
      at: h.sim.clock.now(),
    });
    expect(outcome.kind).toBe('approved');
    return p;
  }

  it('does not execute an approved plan once the kill switch is off', async () => {
    h = await startFlow();
    const p = await approvedInStore();
    await h.service.setEnabled(false, bob);
    const done = await executeApproved(h.deps, p.id, 'bot');
    expect(done?.status).toBe('void');
    expect(done?.result?.detail).toEqual(['remediation is switched off']);
    expect(await h.repo.countExecutions('scale-replicas', 0)).toBe(0);
    expect((await h.repo.readAuditChain()).at(-1)).toMatchObject({
      event: 'voided',
      result: 'REMEDIATION_OFF',
    });
    expect(await replicas()).toBe(2);
  });

  it('resumes approved plans after a restart and marks cut-off executions failed', async () => {
    h = await startFlow({ verifyTimeout: '1m' });
    const pending = await approvedInStore();
    const cut = await h.service.propose({
      actionId: 'shift-traffic',
      params: { percent: 10 },
      user: alice,
      place,
      incidentId: null,
    });
    await h.repo.recordApproval({
      proposalId: cut.id,
      approver: bob.id,
      planHash: cut.planHash,
      at: h.sim.clock.now(),
    });
    expect(await h.repo.claimExecution(cut.id, 'bot', h.sim.clock.now())).toBeDefined();
    h.sim.clock.advance(30_000);
    // A fresh service (the restarted bot) on the same database.
    const restarted = h.replica();
    expect(await restarted.recover()).toEqual({ resumed: 1, interrupted: 0 });
    await restarted.idle();
    expect((await h.repo.getProposal(pending.id))?.status).toBe('succeeded');
    expect(await replicas()).toBe(3);
    h.sim.clock.advance(3 * 60_000);
    expect(await restarted.recover()).toEqual({ resumed: 0, interrupted: 1 });
    expect((await h.repo.getProposal(cut.id))?.status).toBe('failed');
    expect(postedText(h.posted)).toContain('interrupted by a restart');
  });
});
