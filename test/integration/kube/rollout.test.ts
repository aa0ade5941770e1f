import { AppsV1Api, type V1ReplicaSet } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonPatch, READY_DELAY_MS, type SimCluster, startSimCluster, strategic } from './harness.ts';

const ns = 'ml';
const REVISION = 'deployment.kubernetes.io/revision';

describe('rollout restart and rollback through @kubernetes/client-node', () => {
  let sim: SimCluster;
  let apps: AppsV1Api;
  beforeEach(async () => {
    sim = await startSimCluster();
    apps = sim.kubeConfig.makeApiClient(AppsV1Api);
  });
  afterEach(() => sim.close());

  async function ownedReplicaSets(): Promise<V1ReplicaSet[]> {
    const dep = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    const list = await apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=llm-api' });
    return list.items
      .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.controller && o.uid === dep.metadata?.uid))
      .sort(
        (a, b) => Number(a.metadata?.annotations?.[REVISION]) - Number(b.metadata?.annotations?.[REVISION]),
      );
  }

  it('restart adds a revision; undo restores the previous template under a new revision number', async () => {
    const seeded = await ownedReplicaSets();
    expect(seeded.map((rs) => rs.metadata?.annotations?.[REVISION])).toEqual(['1', '2']);
    const before = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(before.metadata?.annotations?.[REVISION]).toBe('2');

    const restartedAt = '2026-11-28T09:00:05Z';
    await apps.patchNamespacedDeployment(
      {
        name: 'llm-api',
        namespace: ns,
        body: {
          spec: {
            template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } },
          },
        },
        fieldManager: 'kubectl-rollout',
      },
      strategic,
    );
    const afterRestart = await ownedReplicaSets();
    expect(afterRestart.map((rs) => rs.metadata?.annotations?.[REVISION])).toEqual(['1', '2', '3']);
    const newest = afterRestart[2];
    expect(newest?.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(
      restartedAt,
    );
    // The strategic merge kept the containers: only the annotation is new.
    expect(newest?.spec?.template?.spec?.containers?.[0]?.image).toBe('mlplatform.azurecr.io/llm-api:1.9.0');

    // Old pods serve until the new ones are ready, then the old ReplicaSet drains.
    expect(
      (await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns })).status?.readyReplicas,
    ).toBe(4);
    sim.clock.advance(READY_DELAY_MS);
    const rolled = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(rolled.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4 });
    expect((await ownedReplicaSets()).map((rs) => rs.spec?.replicas)).toEqual([0, 0, 4]);

    // Roll back the model to revision 1 the way `kubectl rollout undo --to-revision=1` does.
    const target = (await ownedReplicaSets()).find((rs) => rs.metadata?.annotations?.[REVISION] === '1');
    const template = structuredClone(target?.spec?.template);
    delete template?.metadata?.labels?.['pod-template-hash'];
    await apps.patchNamespacedDeployment(
      { name: 'llm-api', namespace: ns, body: [{ op: 'replace', path: '/spec/template', value: template }] },
      jsonPatch,
    );
    const undone = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(undone.spec?.template?.spec?.containers?.[0]?.image).toBe('mlplatform.azurecr.io/llm-api:1.8.1');
    expect(undone.metadata?.annotations?.[REVISION]).toBe('4');
    const history = await ownedReplicaSets();
    expect(history.map((rs) => rs.metadata?.annotations?.[REVISION])).toEqual(['2', '3', '4']);
    expect(history[2]?.metadata?.name).toBe(target?.metadata?.name);
    expect(history[2]?.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    sim.clock.advance(READY_DELAY_MS);
    const settled = await apps.readNamespacedDeployment({ name: 'llm-api', namespace: ns });
    expect(settled.status).toMatchObject({ readyReplicas: 4, updatedReplicas: 4 });
  });
});
