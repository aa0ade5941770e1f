import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findKubectl,
  kubectlRunner,
  READY_DELAY_MS,
  type SimCluster,
  startSimCluster,
  waitFor,
} from './harness.ts';

const bin = findKubectl();
const mustRun = process.env.CI === 'true';
if (!bin && !mustRun)
  console.warn('kubectl tests skipped: no kubectl on PATH (they are required when CI=true)');

describe.skipIf(!bin && !mustRun)('kubectl against the simulated API server', () => {
  let sim: SimCluster;
  let runner: ReturnType<typeof kubectlRunner>;
  const kubectl = (...args: string[]) => runner.kubectl(...args);

  beforeAll(async () => {
    if (!bin) throw new Error('kubectl is required when CI=true but was not found on PATH');
    sim = await startSimCluster();
    runner = kubectlRunner(bin, sim.server.url);
  });
  afterAll(async () => {
    runner?.cleanup();
    await sim?.close();
  });

  // Controllers run before each request; tick so direct reads of the store see them too.
  const read = (kind: string, name: string, namespace?: string) => {
    sim.server.state.tick();
    const found = sim.server.state.find(kind, namespace, name);
    if (!found) throw new Error(`${kind} ${name} not found in the store`);
    return found;
  };
  const deployment = (name: string) => read('Deployment', name, 'ml');
  const specOf = (kind: string, name: string, namespace?: string) =>
    (read(kind, name, namespace).spec ?? {}) as Record<string, unknown>;

  it('gets deployments and nodes as tables', async () => {
    const deployments = await kubectl('get', 'deployments');
    expect(deployments).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    expect(deployments).toMatch(/llm-api\s+4\/4\s+4\s+4\s/);
    const nodes = await kubectl('get', 'nodes', '-l', 'nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3');
    expect(nodes.trim().split('\n')).toHaveLength(9);
    expect(nodes).toMatch(/node-7\s+Ready\s+<none>\s+\S+\s+v1\.32\.4/);
    const json = JSON.parse(await kubectl('get', 'deployment', 'llm-api', '-o', 'json')) as {
      spec: { replicas: number };
    };
    expect(json.spec.replicas).toBe(4);
  });

  it('scales a deployment', async () => {
    expect(await kubectl('scale', 'deployment', 'llm-api', '--replicas=7')).toContain(
      'deployment.apps/llm-api scaled',
    );
    expect(specOf('Deployment', 'llm-api', 'ml').replicas).toBe(7);
    const rv = deployment('llm-api').metadata.resourceVersion ?? '';
    // A precondition on the current count goes through GET + PUT of the Scale.
    await kubectl('scale', 'deployment', 'llm-api', '--current-replicas=7', '--replicas=5');
    expect(specOf('Deployment', 'llm-api', 'ml').replicas).toBe(5);
    await expect(
      kubectl('scale', 'deployment', 'llm-api', `--resource-version=${rv}`, '--replicas=6'),
    ).rejects.toThrow(/Expected resource version to be \d+, was \d+/);
    expect(specOf('Deployment', 'llm-api', 'ml').replicas).toBe(5);
  });

  it('cordons and uncordons a node', async () => {
    expect(await kubectl('cordon', 'node-2')).toContain('node/node-2 cordoned');
    expect(specOf('Node', 'node-2').unschedulable).toBe(true);
    expect(await kubectl('get', 'node', 'node-2')).toMatch(/node-2\s+Ready,SchedulingDisabled/);
    expect(await kubectl('uncordon', 'node-2')).toContain('node/node-2 uncordoned');
    // kubectl removes the field (strategic merge `null`), which means schedulable.
    expect(specOf('Node', 'node-2').unschedulable).toBeFalsy();
    expect(await kubectl('get', 'node', 'node-2')).toMatch(/node-2\s+Ready\s/);
  });

  it('restarts a rollout, shows its history and undoes it', async () => {
    const template = () => specOf('Deployment', 'llm-api', 'ml').template;
    const original = template();
    expect(await kubectl('rollout', 'restart', 'deployment', 'llm-api')).toContain(
      'deployment.apps/llm-api restarted',
    );
    expect(JSON.stringify(template())).toContain('kubectl.kubernetes.io/restartedAt');
    expect(deployment('llm-api').metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    const history = await kubectl('rollout', 'history', 'deployment', 'llm-api');
    expect(history).toMatch(/1\s+model gpt-4o 2024-08-06/);
    expect(history).toMatch(/3\s+model gpt-4o 2024-11-20/);
    expect(await kubectl('rollout', 'undo', 'deployment', 'llm-api')).toContain('rolled back');
    expect(template()).toEqual(original);
    expect(deployment('llm-api').metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('4');
  });

  it('waits for a rollout with rollout status, fed by a watch', async () => {
    await kubectl('scale', 'deployment', 'embeddings', '--replicas=4');
    const status = kubectl('rollout', 'status', 'deployment', 'embeddings', '--timeout=15s');
    await waitFor(() => sim.server.state.store.watcherCount > 0);
    sim.clock.advance(READY_DELAY_MS);
    sim.server.state.tick();
    const out = await status;
    expect(out).toContain(
      'Waiting for deployment "embeddings" rollout to finish: 2 of 4 updated replicas are available...',
    );
    expect(out).toContain('deployment "embeddings" successfully rolled out');
  });

  it('reports a missing object the way kubectl reports a real NotFound', async () => {
    await expect(kubectl('get', 'deployment', 'nope')).rejects.toThrow(/deployments.apps "nope" not found/);
  });

  it('autoscales a deployment (autoscaling/v1 over protobuf, stored as v2) and serves both versions', async () => {
    expect(
      await kubectl('autoscale', 'deployment', 'embeddings', '--min=2', '--max=5', '--cpu-percent=70'),
    ).toContain('horizontalpodautoscaler.autoscaling/embeddings autoscaled');
    expect(await kubectl('get', 'hpa')).toMatch(/embeddings\s+Deployment\/embeddings\s+\S+\s+2\s+5\s/);
    const v2 = specOf('HorizontalPodAutoscaler', 'embeddings', 'ml');
    expect(v2).toMatchObject({
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    });
    const v1 = (await (
      await fetch(`${sim.server.url}/apis/autoscaling/v1/namespaces/ml/horizontalpodautoscalers/embeddings`)
    ).json()) as { apiVersion: string; spec: Record<string, unknown> };
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'embeddings' },
      minReplicas: 2,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 70,
    });
    // A v1 merge patch lands in the stored v2 object.
    const patched = await fetch(
      `${sim.server.url}/apis/autoscaling/v1/namespaces/ml/horizontalpodautoscalers/embeddings`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ spec: { targetCPUUtilizationPercentage: 55 } }),
      },
    );
    expect(patched.status).toBe(200);
    expect(
      ((await patched.json()) as { spec: Record<string, unknown> }).spec.targetCPUUtilizationPercentage,
    ).toBe(55);
    expect(specOf('HorizontalPodAutoscaler', 'embeddings', 'ml').metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 55 } },
      },
    ]);
  });
});
