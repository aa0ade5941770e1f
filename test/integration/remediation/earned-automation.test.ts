import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../bot/policy.ts';
import { UNATTENDED_ACTOR } from '../../../core/remediation/proposal.ts';
import { ingestAlerts } from '../../../handlers/alerts/ingest.ts';
import { startEarnedRuns } from '../../../handlers/approvals/earned-runs.ts';
import { parsed } from '../../helpers/alerts.ts';
import { alice, bob, type FlowHarness, place, postedText, replicasOf, startFlow } from './harness.ts';

const RULE = 'alertmanager/GpuMemoryHigh';

/** mode auto; scale-replicas may run unattended after two approved runs per rule. */
const AUTO = {
  mode: 'auto',
  autoAfterVerifiedRuns: 2,
  actions: { 'scale-replicas': { unattended: true, rateLimit: { max: 20 } } },
  suggestions: {
    'gpu-memory': [{ action: 'scale-replicas', params: { deployment: 'support-api', replicas: 5 } }],
  },
};

describe('earned automation (mode: auto)', () => {
  let h: FlowHarness;
  afterEach(() => h.close());

  let n = 0;
  /** A fresh incident of the rule, opened through intake. */
  async function openIncident(): Promise<number> {
    n++;
    const r = await ingestAlerts(
      { store: h.store, policy: defaultPolicy(), targets: h.deps.targets, clock: h.sim.clock },
      [
        parsed({
          fingerprint: `fp-${n}`,
          groupKey: `{}:{alertname="GpuMemoryHigh",n="${n}"}`,
          rule: 'GpuMemoryHigh',
          summary: 'GPU memory above 95 %',
          labels: { alertname: 'GpuMemoryHigh', severity: 'warning', n: String(n) },
          resource: { namespace: 'ml' },
        }),
      ],
    );
    return r.openedIncidentIds[0]!;
  }

  /** One run people proposed and approved, to the record's credit. */
  async function approvedRun(incidentId: number, replicas: number): Promise<void> {
    const p = await h.service.propose({
      actionId: 'scale-replicas',
      params: { deployment: 'support-api', replicas: String(replicas) },
      user: alice,
      place,
      incidentId,
    });
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    await h.service.idle();
  }

  async function earnTheRecord(): Promise<void> {
    await approvedRun(await openIncident(), 3);
    await approvedRun(await openIncident(), 4);
  }

  /** Ticks once (as the module does) and waits for what it started. */
  async function tick(): Promise<void> {
    await startEarnedRuns(h.service);
    await h.service.idle();
  }

  const unattendedOf = async (incidentId: number) =>
    (await h.repo.listProposals({ incidentId, limit: 10 })).filter((p) => p.proposedBy === UNATTENDED_ACTOR);

  async function cordonEveryNode(): Promise<void> {
    const core = h.sim.kubeConfig.makeApiClient(CoreV1Api);
    for (const node of (await core.listNode()).items) {
      node.spec = { ...node.spec, unschedulable: true };
      await core.replaceNode({ name: node.metadata!.name!, body: node });
    }
  }

  it('runs unattended only after N approved runs verified, then a failed verification rolls back and revokes', async () => {
    h = await startFlow(AUTO);
    await approvedRun(await openIncident(), 3);
    expect(await h.service.record('scale-replicas', RULE)).toMatchObject({ runs: 1, earned: false });
    const early = await openIncident();
    await tick();
    expect(await unattendedOf(early)).toEqual([]);
    expect(await replicasOf(h, 'support-api')).toBe(3);

    await approvedRun(await openIncident(), 4);
    expect(await h.service.record('scale-replicas', RULE)).toMatchObject({
      runs: 2,
      earned: true,
      lastApprover: 'console:bob',
    });
    const later = await openIncident();
    await tick();
    // Both open incidents call for the same change: one run makes it, the other finds nothing to do.
    const started = [...(await unattendedOf(early)), ...(await unattendedOf(later))];
    expect(started).toHaveLength(1);
    const run = started[0]!;
    const incident = run.incidentId!;
    expect(run).toMatchObject({ status: 'succeeded', approvers: [] });
    expect(await replicasOf(h, 'support-api')).toBe(5);
    const events = (await h.service.audit(incident)).records.map((r) => `${r.actor} ${r.event}`);
    expect(events).toEqual(
      expect.arrayContaining([
        `${UNATTENDED_ACTOR} proposed`,
        `${UNATTENDED_ACTOR} auto-approved`,
        'bot verified',
      ]),
    );
    const card = JSON.stringify(await h.cardOf(run.id));
    expect(card).toContain(
      `unattended: 2 approved runs in a row for ${RULE} verified (last approved by console:bob)`,
    );
    expect(postedText(h.posted)).toContain('ran unattended and verified; roll back if it was not wanted.');
    // Unattended runs do not add to the record; they run once per incident.
    expect(await h.service.record('scale-replicas', RULE)).toMatchObject({ runs: 2 });
    await tick();
    expect(await unattendedOf(incident)).toHaveLength(1);

    // Someone scales it back down; the next run cannot schedule its pods, so it never verifies.
    const apps = h.sim.kubeConfig.makeApiClient(AppsV1Api);
    const d = await apps.readNamespacedDeployment({ name: 'support-api', namespace: 'ml' });
    d.spec!.replicas = 3;
    await apps.replaceNamespacedDeployment({ name: 'support-api', namespace: 'ml', body: d });
    await cordonEveryNode();
    const failing = await openIncident();
    await tick();
    const runs = await unattendedOf(failing);
    const original = runs.find((p) => p.rollbackOf === null)!;
    const rollback = runs.find((p) => p.rollbackOf === original.id)!;
    expect(rollback).toMatchObject({ status: 'succeeded', actionId: 'scale-replicas' });
    expect((await h.repo.getProposal(original.id))?.status).toBe('rolled-back');
    expect(await replicasOf(h, 'support-api')).toBe(3);
    expect(JSON.stringify(await h.cardOf(rollback.id))).toContain(
      `unattended: automatic rollback of #${original.id}`,
    );

    // Revoked: people must approve N again before anything runs unattended.
    expect(await h.service.record('scale-replicas', RULE)).toMatchObject({ runs: 0, earned: false });
    const after = await openIncident();
    await tick();
    expect(await unattendedOf(after)).toEqual([]);
  });

  it('runs nothing unattended during a change freeze or with the kill switch off', async () => {
    const now = Date.parse('2026-11-28T09:00:00Z');
    h = await startFlow({
      ...AUTO,
      freezes: [
        {
          from: new Date(now - 3_600_000).toISOString(),
          to: new Date(now + 86_400_000).toISOString(),
          reason: 'year-end freeze',
        },
      ],
    });
    await earnTheRecord();
    expect((await h.service.record('scale-replicas', RULE)).earned).toBe(true);
    const frozen = await openIncident();
    await tick();
    expect(await unattendedOf(frozen)).toEqual([]);

    h.sim.clock.advance(2 * 86_400_000); // the freeze is over
    await h.service.setEnabled(false, alice);
    await tick();
    expect(await unattendedOf(frozen)).toEqual([]);
    expect(await replicasOf(h, 'support-api')).toBe(4);

    await h.service.setEnabled(true, alice);
    await tick();
    expect(await unattendedOf(frozen)).toMatchObject([{ status: 'succeeded' }]);
  });
});
