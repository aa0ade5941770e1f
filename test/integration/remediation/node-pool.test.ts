import { ContainerServiceClient } from '@azure/arm-containerservice';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { type Plan, plan as planSchema } from '../../../core/remediation/plan.ts';
import type { ActionContext } from '../../../remediation/action.ts';
import { scaleNodePool } from '../../../remediation/actions/scale-node-pool.ts';
import { ExecutorError } from '../../../remediation/errors.ts';
import { type AgentPoolApi, createAgentPoolApi } from '../../../remediation/executors/azure.ts';
import { createKubeClients } from '../../../remediation/executors/kubernetes.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import { armCredential, CLUSTER, startArmServer } from './arm-server.ts';
import { alice, bob, type FlowHarness, place, startFlow, testPolicy } from './harness.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');

describe.skipIf(!haveOpenssl)('scale-node-pool against a local HTTPS agentPools API', () => {
  let clock: ManualClock;
  let arm: Awaited<ReturnType<typeof startArmServer>>;
  let pools: AgentPoolApi;
  let ctx: ActionContext;
  beforeEach(async () => {
    clock = new ManualClock();
    arm = await startArmServer(clock, 60_000);
    pools = createAgentPoolApi({
      cluster: CLUSTER,
      endpoint: arm.url,
      credential: armCredential(),
      ca: arm.ca,
    });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser(
      { name: 'none', server: 'http://127.0.0.1:9', skipTLSVerify: true },
      { name: 'none' },
    );
    ctx = {
      kube: createKubeClients(kubeConfig),
      nodePools: pools,
      guardrails: testPolicy({ guardrails: { resources: ['agentpools/gpu*'] } }).guardrails,
      gpuReset: testPolicy().gpuReset,
      clock,
      sleep: async (ms) => clock.advance(ms),
    };
  });
  afterEach(() => arm.close());

  const planOf = async (params: Record<string, unknown>): Promise<Plan> =>
    planSchema.parse(await scaleNodePool.plan(scaleNodePool.params.parse(params), ctx));

  it('plans, validates, PUTs with If-Match and verifies once the pool settles', async () => {
    const p = await planOf({ pool: 'gpu', count: '10' });
    expect(p.diff).toEqual(['agent pool gpu count 8 → 10']);
    expect(p.targets[0]).toEqual({
      kind: 'AgentPool',
      namespace: null,
      name: 'gpu',
      resourceVersion: 'etag-1',
    });
    expect(p.rollback.params).toEqual({ pool: 'gpu', count: 8 });
    expect(await scaleNodePool.dryRun(p, ctx)).toMatchObject({ ok: true });
    expect(arm.puts).toEqual([]);
    const applied = await scaleNodePool.apply(p, ctx);
    expect(applied.detail[0]).toBe('agent pool gpu: 10 nodes, Updating');
    expect(arm.puts[0]).toMatchObject({
      count: 10,
      vmSize: 'Standard_ND96isr_H100_v5',
      minCount: 2,
      maxCount: 12,
    });
    expect(arm.puts[0]).not.toHaveProperty('provisioningState');
    expect((await scaleNodePool.verify(p, ctx, clock.now() + 10_000)).ok).toBe(false);
    expect(await scaleNodePool.verify(p, ctx, clock.now() + 120_000)).toEqual({
      ok: true,
      detail: ['agent pool gpu: 10 nodes, Succeeded'],
    });
  });

  it('raises the autoscaler minimum on an autoscaling pool, within its maxCount', async () => {
    const p = await planOf({ pool: 'gpuauto', count: '4' });
    expect(p.diff).toEqual(['agent pool gpuauto minCount 2 → 4']);
    await expect(planOf({ pool: 'gpuauto', count: '7' })).rejects.toThrow(
      'changing 2 → 7 nodes is a step of 5; the maximum is 2',
    );
    await scaleNodePool.apply(p, ctx);
    expect(arm.puts[0]).toMatchObject({ enableAutoScaling: true, minCount: 4, count: 4 });
    expect((await scaleNodePool.verify(p, ctx, clock.now() + 120_000)).ok).toBe(true);
  });

  it('refuses guardrail breaches and a pool that changed since the plan (412)', async () => {
    await expect(planOf({ pool: 'gpu', count: '20' })).rejects.toThrow('20 nodes is above the maximum of 16');
    await expect(planOf({ pool: 'gpu', count: '11' })).rejects.toThrow('step of 3; the maximum is 2');
    const p = await planOf({ pool: 'gpu', count: '9' });
    await pools.put('gpu', { ...(await pools.get('gpu')).properties, count: 7 }, undefined);
    expect((await scaleNodePool.dryRun(p, ctx)).ok).toBe(false);
    const err = await scaleNodePool.apply(p, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutorError);
    expect((err as ExecutorError).status).toBe(412);
    expect((err as ExecutorError).conflict).toBe(true);
  });

  it('speaks the long-running-operation protocol: the SDK poller finishes once the pool settles', async () => {
    const client = new ContainerServiceClient(armCredential(), CLUSTER.subscriptionId, {
      endpoint: arm.url,
      tlsOptions: { ca: arm.ca },
    });
    const { resourceGroup, cluster } = CLUSTER;
    const before = await client.agentPools.get(resourceGroup, cluster, 'gpu');
    expect(before).toMatchObject({ count: 8, provisioningState: 'Succeeded', eTag: 'etag-1' });
    const poller = client.agentPools.createOrUpdate(
      resourceGroup,
      cluster,
      'gpu',
      { count: 9, vmSize: before.vmSize, minCount: 2, maxCount: 12 },
      { ifMatch: before.eTag, updateIntervalInMs: 5 },
    );
    await poller.submitted();
    await poller.poll();
    expect(poller.operationState?.status).toBe('running');
    clock.advance(60_000);
    const after = await poller.pollUntilDone();
    expect(after).toMatchObject({ count: 9, provisioningState: 'Succeeded' });
    expect(poller.operationState?.status).toBe('succeeded');
    expect(arm.puts).toEqual([{ count: 9, vmSize: 'Standard_ND96isr_H100_v5', minCount: 2, maxCount: 12 }]);
  });

  it('reports ARM errors with their code', async () => {
    const anonymous = createAgentPoolApi({
      cluster: CLUSTER,
      endpoint: arm.url,
      credential: armCredential('wrong'),
      ca: arm.ca,
    });
    const err = await anonymous.get('gpu').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ARM_401', status: 401 });
    expect((err as Error).message).toContain('AuthenticationFailed');
    const untrusted = createAgentPoolApi({
      cluster: CLUSTER,
      endpoint: arm.url,
      credential: armCredential(),
    });
    expect(await untrusted.get('gpu').catch((e: unknown) => e)).toMatchObject({ code: 'ARM_UNREACHABLE' });
  });
});

describe.skipIf(!haveOpenssl)('scale-node-pool through the approval flow', () => {
  let h: FlowHarness;
  let arm: Awaited<ReturnType<typeof startArmServer>>;
  afterEach(async () => {
    await h.close();
    await arm.close();
  });

  it('needs two approvers (high risk) and runs once approved', async () => {
    const clock = new ManualClock();
    arm = await startArmServer(clock, 30_000);
    const nodePools = createAgentPoolApi({
      cluster: CLUSTER,
      endpoint: arm.url,
      credential: armCredential(),
      ca: arm.ca,
    });
    h = await startFlow({}, { nodePools });
    // The ARM server follows the flow's clock so verification can wait for the pool to settle.
    const flowClock = h.sim.clock;
    clock.set(flowClock.now());
    h.deps.sleep = async (ms) => {
      flowClock.advance(ms);
      clock.set(flowClock.now());
    };
    const p = await h.service.propose({
      actionId: 'scale-node-pool',
      params: { pool: 'gpu', count: '9' },
      user: alice,
      place,
      incidentId: null,
    });
    expect(p.requiredApprovals).toBe(2);
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    expect(arm.puts).toEqual([]);
    await h.service.approve({
      proposalId: p.id,
      planHash: p.planHash,
      user: { id: 'slack:U0CAROL', displayName: 'carol' },
    });
    await h.service.idle();
    expect((await h.repo.getProposal(p.id))?.status).toBe('succeeded');
    expect(arm.puts).toHaveLength(1);
  });
});
