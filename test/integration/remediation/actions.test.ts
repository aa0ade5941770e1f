import { AppsV1Api, AutoscalingV2Api, CoreV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Plan, plan as planSchema } from '../../../core/remediation/plan.ts';
import type { ActionContext, RemediationAction } from '../../../remediation/action.ts';
import { ACTIONS } from '../../../remediation/catalog.ts';
import { ExecutorError } from '../../../remediation/errors.ts';
import { createKubeClients, RESTARTED_AT_ANNOTATION } from '../../../remediation/executors/kubernetes.ts';
import { GPT4O_NEW_VERSION, GPT4O_OLD_VERSION } from '../../../sim/telemetry/profile.ts';
import { READY_DELAY_MS, type SimCluster, startSimCluster } from '../kube/harness.ts';
import { testPolicy } from './harness.ts';

const ns = 'ml';

describe('remediation actions through @kubernetes/client-node against the simulated API', () => {
  let sim: SimCluster;
  let ctx: ActionContext;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  beforeEach(async () => {
    sim = await startSimCluster();
    ctx = {
      kube: createKubeClients(sim.kubeConfig),
      guardrails: testPolicy().guardrails,
      gpuReset: testPolicy().gpuReset,
      clock: sim.clock,
      sleep: async (ms) => sim.clock.advance(ms),
    };
    apps = sim.kubeConfig.makeApiClient(AppsV1Api);
    core = sim.kubeConfig.makeApiClient(CoreV1Api);
  });
  afterEach(() => sim.close());

  const action = (id: string): RemediationAction => ACTIONS.find((a) => a.id === id)!;
  async function planOf(id: string, params: Record<string, unknown>): Promise<Plan> {
    const a = action(id);
    return planSchema.parse(await a.plan(a.params.parse(params), ctx));
  }
  const deadline = (ms: number) => sim.clock.now() + ms;

  it('scale-replicas raises HPA bounds when an HPA targets the deployment', async () => {
    const a = action('scale-replicas');
    const p = await planOf('scale-replicas', { deployment: 'llm-api', replicas: '6' });
    expect(p.targets[0]).toMatchObject({ kind: 'HorizontalPodAutoscaler', name: 'llm-api' });
    expect(p.diff.slice(0, 2)).toEqual(['HPA llm-api minReplicas 2 → 6', 'HPA llm-api maxReplicas 10 → 10']);
    expect(p.rollback.params).toEqual({ namespace: ns, deployment: 'llm-api', replicas: 2, maxReplicas: 10 });
    expect((await a.dryRun(p, ctx)).ok).toBe(true);
    const hpa = sim.kubeConfig.makeApiClient(AutoscalingV2Api);
    expect(
      (await hpa.readNamespacedHorizontalPodAutoscaler({ name: 'llm-api', namespace: ns })).spec?.minReplicas,
    ).toBe(2);
    await a.apply(p, ctx);
    expect(
      (await hpa.readNamespacedHorizontalPodAutoscaler({ name: 'llm-api', namespace: ns })).spec?.minReplicas,
    ).toBe(6);
    const early = await a.verify(p, ctx, sim.clock.now());
    expect(early).toEqual({ ok: false, detail: ['llm-api: 4 of 6 replicas ready (want 6)'] });
    expect((await a.verify(p, ctx, deadline(60_000))).ok).toBe(true);
    expect(sim.clock.now()).toBeGreaterThanOrEqual(Date.parse('2026-11-28T09:00:00Z') + READY_DELAY_MS);
  });

  it('scale-replicas uses /scale without an HPA, and a stale resourceVersion is a 409', async () => {
    const a = action('scale-replicas');
    const p = await planOf('scale-replicas', { deployment: 'embeddings', replicas: '3' });
    expect(p.targets[0]?.kind).toBe('Deployment');
    await a.dryRun(p, ctx);
    expect((await apps.readNamespacedDeployment({ name: 'embeddings', namespace: ns })).spec?.replicas).toBe(
      2,
    );
    await apps.patchNamespacedDeploymentScale({
      name: 'embeddings',
      namespace: ns,
      body: [{ op: 'replace', path: '/spec/replicas', value: 1 }],
    });
    const err = await a.apply(p, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutorError);
    expect((err as ExecutorError).conflict).toBe(true);
    expect((await apps.readNamespacedDeployment({ name: 'embeddings', namespace: ns })).spec?.replicas).toBe(
      1,
    );
  });

  it('shift-traffic rewrites the gateway weights and keeps the old ones as the rollback', async () => {
    const a = action('shift-traffic');
    const p = await planOf('shift-traffic', { percent: '80' });
    expect(p.diff).toEqual(['gpt-4o-eastus2: 100% → 20%', 'gpt-4o-swedencentral: 0% → 80%']);
    expect(p.rollback.params).toMatchObject({
      weights: { 'gpt-4o-eastus2': 100, 'gpt-4o-swedencentral': 0 },
    });
    const dry = await a.dryRun(p, ctx);
    expect(dry.detail).toEqual(['aoai-gateway-routing: gpt-4o-eastus2 20%, gpt-4o-swedencentral 80%']);
    const read = async () =>
      JSON.parse(
        (await core.readNamespacedConfigMap({ name: 'aoai-gateway-routing', namespace: ns })).data?.weights ??
          '',
      );
    expect(await read()).toEqual({ 'gpt-4o-eastus2': 100, 'gpt-4o-swedencentral': 0 });
    await a.apply(p, ctx);
    expect(await read()).toEqual({ 'gpt-4o-eastus2': 20, 'gpt-4o-swedencentral': 80 });
    expect((await a.verify(p, ctx, deadline(1000))).ok).toBe(true);
    const back = await planOf('shift-traffic', p.rollback.params);
    await action('shift-traffic').apply(back, ctx);
    expect(await read()).toEqual({ 'gpt-4o-eastus2': 100, 'gpt-4o-swedencentral': 0 });
  });

  it('reduce-batch-size patches the key and restarts the rollout', async () => {
    const a = action('reduce-batch-size');
    const p = await planOf('reduce-batch-size', {});
    expect(p.diff[0]).toBe('llm-api-config BATCH_SIZE: 32 → 16');
    expect(p.rollback.params).toMatchObject({ batchSize: 32 });
    await a.dryRun(p, ctx);
    expect(
      (await core.readNamespacedConfigMap({ name: 'llm-api-config', namespace: ns })).data?.BATCH_SIZE,
    ).toBe('32');
    await a.apply(p, ctx);
    expect(
      (await core.readNamespacedConfigMap({ name: 'llm-api-config', namespace: ns })).data?.BATCH_SIZE,
    ).toBe('16');
    const dep = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(dep.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION]).toBe('2026-11-28T09:00:00Z');
    expect((await a.verify(p, ctx, sim.clock.now())).ok).toBe(false);
    const verified = await a.verify(p, ctx, deadline(60_000));
    expect(verified).toEqual({ ok: true, detail: ['llm-api: 4 updated, 4 ready of 4'] });
  });

  it('cordon-node cordons and drains, retrying evictions the PDB refuses', async () => {
    const a = action('cordon-node');
    const pods = await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-0' });
    // node-0 also runs a vLLM replica in `inference`, a namespace this test's guardrails leave out
    // (the default allows it): the drain evicts the `ml` pods and leaves that one, saying so.
    ctx = { ...ctx, guardrails: { ...ctx.guardrails, namespaces: ['ml'] } };
    const inMl = pods.items.filter((x) => x.metadata?.namespace === ns);
    expect(inMl.length).toBeGreaterThan(0);
    expect(pods.items.length).toBeGreaterThan(inMl.length);
    const p = await planOf('cordon-node', { node: 'node-0', drain: 'true' });
    expect(p.diff[0]).toBe('node-0 spec.unschedulable: false → true');
    expect(p.diff.length).toBe(1 + inMl.length);
    expect(p.notes).toEqual([
      `${pods.items.length - inMl.length} pods outside the allowed namespaces stay on the node`,
    ]);
    expect(p.rollback.params).toEqual({ node: 'node-0', unschedulable: false, drain: false });
    await a.dryRun(p, ctx);
    expect((await core.readNode({ name: 'node-0' })).spec?.unschedulable ?? false).toBe(false);
    expect(
      (await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-0' })).items,
    ).toHaveLength(pods.items.length);
    await a.apply(p, ctx);
    expect((await core.readNode({ name: 'node-0' })).spec?.unschedulable).toBe(true);
    const result = await a.verify(p, ctx, deadline(120_000));
    expect(result.ok).toBe(true);
    const names = new Set(inMl.map((x) => x.metadata?.name));
    const left = (await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-0' })).items;
    expect(left.filter((x) => names.has(x.metadata?.name))).toEqual([]);
    expect(left.map((x) => x.metadata?.namespace)).toEqual(['inference']);
  });

  it('cordon-node refuses beyond the maximum number of cordoned nodes', async () => {
    const a = action('cordon-node');
    for (const node of ['node-1', 'node-2']) await a.apply(await planOf('cordon-node', { node }), ctx);
    await expect(planOf('cordon-node', { node: 'node-3' })).rejects.toThrow(
      'Refused by guardrail: 2 nodes are already cordoned; at most 2 may be.',
    );
  });

  it('rollback-deployment restores the previous revision and verifies the rollout', async () => {
    const a = action('rollback-deployment');
    const p = await planOf('rollback-deployment', { deployment: 'llm-api' });
    expect(p.diff).toEqual([
      'revision 2 → 1 (model gpt-4o 2024-08-06)',
      'llm-api image mlplatform.azurecr.io/llm-api:1.9.0 → mlplatform.azurecr.io/llm-api:1.8.1',
      'env llm-api MODEL_VERSION=2024-08-06',
    ]);
    expect(p.rollback.params).toEqual({ namespace: ns, deployment: 'llm-api', toRevision: 2 });
    await a.dryRun(p, ctx);
    const image = async () =>
      (await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns })).spec?.template?.spec
        ?.containers?.[0]?.image;
    expect(await image()).toBe('mlplatform.azurecr.io/llm-api:1.9.0');
    await a.apply(p, ctx);
    expect(await image()).toBe('mlplatform.azurecr.io/llm-api:1.8.1');
    expect((await a.verify(p, ctx, deadline(60_000))).ok).toBe(true);
    await expect(planOf('rollback-deployment', { deployment: 'llm-api', toRevision: '9' })).rejects.toThrow(
      /has no revision 9/,
    );
  });

  it("rollback-deployment finds the deployment serving the alert's model and leaves its model version", async () => {
    const p = await planOf('rollback-deployment', { model: 'gpt-4o', modelVersion: GPT4O_NEW_VERSION });
    expect(p.targets.map((t) => `${t.namespace}/${t.name}`)).toEqual([`${ns}/llm-api`]);
    expect(p.params).toMatchObject({ deployment: 'llm-api', toRevision: 1 });
    expect(p.diff).toContain(`env llm-api MODEL_VERSION=${GPT4O_OLD_VERSION}`);
    // An alert about a version the workload no longer runs is refused, not rolled back blindly.
    await expect(
      planOf('rollback-deployment', { model: 'gpt-4o', modelVersion: '2026-10-01' }),
    ).rejects.toThrow(`llm-api runs model version ${GPT4O_NEW_VERSION}, not 2026-10-01`);
    await expect(planOf('rollback-deployment', { model: 'o3-mini' })).rejects.toThrow(/no deployment in ml/);
  });
});
