import { afterEach, describe, expect, it } from 'vitest';
import { alice, bob, carol, type FlowHarness, place, refusal, replicasOf, startFlow } from './harness.ts';

describe('approvals per tier', () => {
  let h: FlowHarness;
  afterEach(() => h.close());

  it('asks two approvers for a P1 incident, chosen per tier by the policy', async () => {
    h = await startFlow({
      groups: {
        oncall: ['console:alice', 'console:bob', 'slack:U0CAROL'],
        leads: ['slack:U0CAROL', 'console:dave'],
      },
      actions: { 'scale-replicas': { approveByTier: { P1: ['group:leads'] } } },
    });
    const incident = await h.store.incidents.create({
      groupKey: 'g1',
      source: 'alertmanager',
      title: 'GPU memory above 95%',
      kind: 'gpu-memory',
      tier: 'P1',
      status: 'open',
      flapping: false,
      flapCount: 0,
      resource: { deployment: 'embeddings', namespace: 'ml' },
      acknowledgedBy: null,
      acknowledgedAt: null,
      silenceId: null,
      silencedBy: null,
      silencedUntil: null,
      openedAt: h.sim.clock.now(),
      updatedAt: h.sim.clock.now(),
      resolvedAt: null,
      version: 1,
    });
    const p = await h.service.propose({
      actionId: 'scale-replicas',
      params: { deployment: 'embeddings', replicas: '3' },
      user: alice,
      place,
      incidentId: incident.id,
    });
    expect(p).toMatchObject({ tier: 'P1', requiredApprovals: 2, incidentId: incident.id });
    expect(
      (await refusal(h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob }))).code,
    ).toBe('NOT_AUTHORISED');
    expect((await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: carol })).kind).toBe(
      'recorded',
    );
    const dave = { id: 'console:dave', displayName: 'dave' };
    expect((await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: dave })).kind).toBe(
      'approved',
    );
    await h.service.idle();
    expect(await replicasOf(h, 'embeddings')).toBe(3);
    expect((await h.service.audit(incident.id)).records.map((r) => r.event)).toContain('verified');
  });
});
