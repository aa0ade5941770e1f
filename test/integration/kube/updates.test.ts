import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectFailure, merge, type SimCluster, startSimCluster, strategic } from './harness.ts';

const ns = 'ml';

describe('PUT and list-merge semantics through @kubernetes/client-node', () => {
  let sim: SimCluster;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  beforeEach(async () => {
    sim = await startSimCluster();
    apps = sim.kubeConfig.makeApiClient(AppsV1Api);
    core = sim.kubeConfig.makeApiClient(CoreV1Api);
  });
  afterEach(() => sim.close());

  it('replaces a deployment with its resourceVersion, ignores status in the body, and 409s when stale', async () => {
    const dep = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    const body = {
      ...dep,
      spec: { ...dep.spec, replicas: 3 },
      status: { ...dep.status, readyReplicas: 99 },
    } as typeof dep;
    const replaced = await apps.replaceNamespacedDeployment({ name: 'llm-api', namespace: ns, body });
    expect(replaced.spec?.replicas).toBe(3);
    expect(replaced.status?.readyReplicas).toBe(4);
    expect(replaced.metadata?.generation).toBe((dep.metadata?.generation ?? 0) + 1);
    const stale = await expectFailure(
      apps.replaceNamespacedDeployment({ name: 'llm-api', namespace: ns, body }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "llm-api": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('replaces a ConfigMap and rejects a name that does not match the URL', async () => {
    const cm = await core.readNamespacedConfigMap({ name: 'llm-api-config', namespace: ns });
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'llm-api-config',
      namespace: ns,
      body: { ...cm, data: { BATCH_SIZE: '24' } },
    });
    expect(replaced.data).toEqual({ BATCH_SIZE: '24' });
    const renamed = await expectFailure(
      core.replaceNamespacedConfigMap({
        name: 'llm-api-config',
        namespace: ns,
        body: { ...replaced, metadata: { ...replaced.metadata, name: 'other' } },
      }),
    );
    expect(renamed.code).toBe(400);
    expect(renamed.body.reason).toBe('BadRequest');
  });

  it('merges containers and env by name with a strategic merge patch, but replaces lists with a merge patch', async () => {
    const containers = [{ name: 'llm-api', env: [{ name: 'BATCH_SIZE', value: '16' }] }];
    const smp = await apps.patchNamespacedDeployment(
      { name: 'llm-api', namespace: ns, body: { spec: { template: { spec: { containers } } } } },
      strategic,
    );
    const merged = smp.spec?.template?.spec?.containers?.[0];
    expect(merged?.image).toBe('mlplatform.azurecr.io/llm-api:1.9.0');
    expect(merged?.env).toEqual([
      { name: 'MODEL_VERSION', value: '2024-11-20' },
      { name: 'BATCH_SIZE', value: '16' },
    ]);
    // A merge patch replaces the whole list: without an image the container is invalid.
    const bad = await expectFailure(
      apps.patchNamespacedDeployment(
        { name: 'llm-api', namespace: ns, body: { spec: { template: { spec: { containers } } } } },
        merge,
      ),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.details).toMatchObject({
      causes: [{ reason: 'FieldValueRequired', field: 'spec.template.spec.containers[0].image' }],
    });
  });

  it('refuses to change a deployment selector (immutable) with 422', async () => {
    const bad = await expectFailure(
      apps.patchNamespacedDeployment(
        { name: 'llm-api', namespace: ns, body: { spec: { selector: { matchLabels: { app: 'other' } } } } },
        merge,
      ),
    );
    expect(bad.code).toBe(422);
    const fields = (bad.body.details as { causes: { field: string }[] }).causes.map((c) => c.field);
    expect(fields).toEqual(['spec.template.metadata.labels', 'spec.selector']);
  });
});
