import { AppsV1Api, AutoscalingV2Api, CoreV1Api, PolicyV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expectFailure,
  jsonPatch,
  merge,
  READY_DELAY_MS,
  type SimCluster,
  startSimCluster,
  strategic,
} from './harness.ts';

const ns = 'ml';

describe('simulated Kubernetes API through @kubernetes/client-node', () => {
  let sim: SimCluster;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  beforeEach(async () => {
    sim = await startSimCluster();
    apps = sim.kubeConfig.makeApiClient(AppsV1Api);
    core = sim.kubeConfig.makeApiClient(CoreV1Api);
  });
  afterEach(() => sim.close());

  it('serves the seeded platform', async () => {
    const deps = await apps.listNamespacedDeployment({ namespace: ns });
    // The GPU workloads are the DCGM placement table's (training runs in ml-train, not in ml),
    // beside support-api, which serves gpt-4.1 from Azure OpenAI and holds no GPU.
    expect(deps.items.map((d) => d.metadata?.name)).toEqual(['embeddings', 'llm-api', 'support-api']);
    const api = deps.items.find((d) => d.metadata?.name === 'llm-api');
    expect(api?.spec?.replicas).toBe(4);
    expect(api?.status?.readyReplicas).toBe(4);
    const nodes = await core.listNode({ labelSelector: 'agentpool=gpu' });
    expect(nodes.items).toHaveLength(8);
    expect(nodes.items[0]?.metadata?.labels?.['nvidia.com/gpu.product']).toBe('NVIDIA-H100-80GB-HBM3');
  });

  it('reads and scales a deployment through /scale, and readiness converges as time passes', async () => {
    const scale = await apps.readNamespacedDeploymentScale({ name: 'llm-api', namespace: ns });
    expect(scale.kind).toBe('Scale');
    expect(scale.apiVersion).toBe('autoscaling/v1');
    expect(scale.spec?.replicas).toBe(4);
    expect(scale.status?.selector).toBe('app=llm-api');
    const patched = await apps.patchNamespacedDeploymentScale(
      { name: 'llm-api', namespace: ns, body: { spec: { replicas: 6 } } },
      merge,
    );
    expect(patched.spec?.replicas).toBe(6);
    expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(
      Number(scale.metadata?.resourceVersion),
    );

    const early = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(early.spec?.replicas).toBe(6);
    expect(early.status?.readyReplicas).toBe(4);
    sim.clock.advance(READY_DELAY_MS / 2);
    expect(
      (await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns })).status?.readyReplicas,
    ).toBe(4);
    sim.clock.advance(READY_DELAY_MS / 2);
    const done = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(done.status?.readyReplicas).toBe(6);
    expect(done.status?.availableReplicas).toBe(6);
    expect(done.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe(
      'NewReplicaSetAvailable',
    );
  });

  it('replaces a Scale with its resourceVersion, and refuses a stale one with a 409 Status', async () => {
    const scale = await apps.readNamespacedDeploymentScale({ name: 'llm-api', namespace: ns });
    const replaced = await apps.replaceNamespacedDeploymentScale({
      name: 'llm-api',
      namespace: ns,
      body: { ...scale, spec: { replicas: 5 } },
    });
    expect(replaced.spec?.replicas).toBe(5);
    const stale = await expectFailure(
      apps.replaceNamespacedDeploymentScale({
        name: 'llm-api',
        namespace: ns,
        body: { ...scale, spec: { replicas: 7 } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on deployments.apps "llm-api": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'llm-api', group: 'apps', kind: 'deployments' },
      code: 409,
    });
    expect(
      (await apps.readNamespacedDeploymentScale({ name: 'llm-api', namespace: ns })).spec?.replicas,
    ).toBe(5);
  });

  it('rejects a merge patch carrying a stale resourceVersion on a ConfigMap', async () => {
    const cm = await core.readNamespacedConfigMap({ name: 'llm-api-config', namespace: ns });
    const rv = cm.metadata?.resourceVersion;
    const updated = await core.patchNamespacedConfigMap(
      {
        name: 'llm-api-config',
        namespace: ns,
        body: { metadata: { resourceVersion: rv }, data: { BATCH_SIZE: '16' } },
      },
      merge,
    );
    expect(updated.data?.BATCH_SIZE).toBe('16');
    expect(updated.data?.MAX_TOKENS).toBe('4096');
    const again = await expectFailure(
      core.patchNamespacedConfigMap(
        {
          name: 'llm-api-config',
          namespace: ns,
          body: { metadata: { resourceVersion: rv }, data: { BATCH_SIZE: '8' } },
        },
        merge,
      ),
    );
    expect(again.code).toBe(409);
    expect(again.body.reason).toBe('Conflict');
    expect(again.body.details).toEqual({ name: 'llm-api-config', group: '', kind: 'configmaps' });
  });

  it('patches the gateway routing weights and keeps the previous ones readable before the write', async () => {
    const before = await core.readNamespacedConfigMap({ name: 'aoai-gateway-routing', namespace: ns });
    expect(JSON.parse(before.data?.weights ?? '{}')).toEqual({
      'gpt-4o-eastus2': 100,
      'gpt-4o-swedencentral': 0,
    });
    const weights = JSON.stringify({ 'gpt-4o-eastus2': 20, 'gpt-4o-swedencentral': 80 });
    await core.patchNamespacedConfigMap(
      { name: 'aoai-gateway-routing', namespace: ns, body: { data: { weights } } },
      merge,
    );
    const after = await core.readNamespacedConfigMap({ name: 'aoai-gateway-routing', namespace: ns });
    expect(after.data?.weights).toBe(weights);
    expect(after.data?.primary).toBe('gpt-4o-eastus2');
  });

  it('patches HPA bounds (autoscaling/v2) and the HPA pulls the deployment into range', async () => {
    const hpa = sim.kubeConfig.makeApiClient(AutoscalingV2Api);
    const patched = await hpa.patchNamespacedHorizontalPodAutoscaler(
      { name: 'llm-api', namespace: ns, body: { spec: { minReplicas: 6, maxReplicas: 12 } } },
      merge,
    );
    expect(patched.apiVersion).toBe('autoscaling/v2');
    expect(patched.spec?.minReplicas).toBe(6);
    expect(patched.spec?.maxReplicas).toBe(12);
    const dep = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(dep.spec?.replicas).toBe(6);
    const read = await hpa.readNamespacedHorizontalPodAutoscaler({ name: 'llm-api', namespace: ns });
    expect(read.status?.desiredReplicas).toBe(6);
    const bad = await expectFailure(
      hpa.patchNamespacedHorizontalPodAutoscaler(
        { name: 'llm-api', namespace: ns, body: { spec: { maxReplicas: 3 } } },
        merge,
      ),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
  });

  it('cordons a node with a strategic merge patch; the taint follows and new pods avoid it', async () => {
    const node = await core.patchNode({ name: 'node-3', body: { spec: { unschedulable: true } } }, strategic);
    expect(node.spec?.unschedulable).toBe(true);
    const read = await core.readNode({ name: 'node-3' });
    expect(read.spec?.taints).toEqual([
      expect.objectContaining({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }),
    ]);
    await apps.patchNamespacedDeploymentScale(
      { name: 'embeddings', namespace: ns, body: { spec: { replicas: 12 } } },
      merge,
    );
    const onNode3 = await core.listNamespacedPod({
      namespace: ns,
      fieldSelector: 'spec.nodeName=node-3',
      labelSelector: 'app=embeddings',
    });
    expect(onNode3.items).toHaveLength(0);
    const all = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=embeddings' });
    expect(all.items).toHaveLength(12);
    const uncordoned = await core.patchNode(
      { name: 'node-3', body: { spec: { unschedulable: false } } },
      strategic,
    );
    expect(uncordoned.spec?.unschedulable).toBe(false);
    expect((await core.readNode({ name: 'node-3' })).spec?.taints ?? []).toEqual([]);
  });

  it('evicts pods until the PodDisruptionBudget would break, then answers 429', async () => {
    const policy = sim.kubeConfig.makeApiClient(PolicyV1Api);
    const pdb = await policy.readNamespacedPodDisruptionBudget({ name: 'llm-api', namespace: ns });
    expect(pdb.status?.disruptionsAllowed).toBe(1);
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=llm-api' });
    const [first, second] = pods.items.map((p) => p.metadata?.name ?? '');
    const evict = (name: string) =>
      core.createNamespacedPodEviction({
        name,
        namespace: ns,
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } },
      });
    await evict(first as string);
    await expect(core.readNamespacedPod({ name: first as string, namespace: ns })).rejects.toMatchObject({
      code: 404,
    });
    const blocked = await expectFailure(evict(second as string));
    expect(blocked.code).toBe(429);
    expect(blocked.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget llm-api needs 3 healthy pods and has 3 currently',
          },
        ],
      },
      code: 429,
    });
    // The replacement pod becomes ready; then the budget allows one more eviction.
    sim.clock.advance(READY_DELAY_MS);
    await evict(second as string);
  });

  it('dryRun=All returns the would-be object without persisting it; other values are rejected', async () => {
    const before = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    const dry = await apps.patchNamespacedDeploymentScale(
      { name: 'llm-api', namespace: ns, body: { spec: { replicas: 9 } }, dryRun: 'All' },
      merge,
    );
    expect(dry.spec?.replicas).toBe(9);
    const dryCm = await core.patchNamespacedConfigMap(
      { name: 'llm-api-config', namespace: ns, body: { data: { BATCH_SIZE: '4' } }, dryRun: 'All' },
      merge,
    );
    expect(dryCm.data?.BATCH_SIZE).toBe('4');
    const after = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(after.spec?.replicas).toBe(4);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(
      (await core.readNamespacedConfigMap({ name: 'llm-api-config', namespace: ns })).data?.BATCH_SIZE,
    ).toBe('32');
    const wrong = await expectFailure(
      apps.patchNamespacedDeploymentScale(
        { name: 'llm-api', namespace: ns, body: { spec: { replicas: 9 } }, dryRun: 'Server' },
        merge,
      ),
    );
    expect(wrong.code).toBe(422);
    expect(String(wrong.body.message)).toContain('supported values: "All"');
  });

  it('rejects invalid objects with 422 causes and unknown names with a 404 Status', async () => {
    const negative = await expectFailure(
      apps.patchNamespacedDeployment(
        { name: 'llm-api', namespace: ns, body: { spec: { replicas: -1 } } },
        merge,
      ),
    );
    expect(negative.code).toBe(422);
    expect(negative.body).toMatchObject({
      reason: 'Invalid',
      message:
        'Deployment.apps "llm-api" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      details: {
        name: 'llm-api',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueInvalid', field: 'spec.replicas' }],
      },
    });
    const missing = await expectFailure(apps.readNamespacedDeployment({ name: 'nope', namespace: ns }));
    expect(missing).toEqual({
      code: 404,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'deployments.apps "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', group: 'apps', kind: 'deployments' },
        code: 404,
      },
    });
  });

  it('applies JSON patches, and a failed test op leaves the object alone', async () => {
    const dep = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    const rv = dep.metadata?.resourceVersion;
    const ops = (version: string | undefined, replicas: number) => [
      { op: 'test', path: '/metadata/resourceVersion', value: version },
      { op: 'replace', path: '/spec/replicas', value: replicas },
    ];
    const patched = await apps.patchNamespacedDeployment(
      { name: 'llm-api', namespace: ns, body: ops(rv, 5) },
      jsonPatch,
    );
    expect(patched.spec?.replicas).toBe(5);
    const stale = await expectFailure(
      apps.patchNamespacedDeployment({ name: 'llm-api', namespace: ns, body: ops(rv, 7) }, jsonPatch),
    );
    expect(stale.code).toBe(422);
    expect((await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns })).spec?.replicas).toBe(5);
  });

  it('leaves resourceVersion alone while nothing changes', async () => {
    const a = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    const b = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(b.metadata?.resourceVersion).toBe(a.metadata?.resourceVersion);
  });
});
