import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { createDcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { syncPodsFromKube } from '../../../sim/dcgm/kube-pods.ts';
import { KubeCluster } from '../../../sim/kube/cluster.ts';
import { seedAiPlatform } from '../../../sim/kube/seed.ts';

function world() {
  const clock = new ManualClock();
  const kube = new KubeCluster({ clock, podReadyDelayMs: 10_000 });
  seedAiPlatform(kube);
  const dcgm = createDcgmCluster(clock);
  return { clock, kube, dcgm };
}

const podsOn = (dcgm: ReturnType<typeof createDcgmCluster>, node: string) =>
  dcgm
    .sample()
    .find((n) => n.node.name === node)!
    .gpus.map((g) => g.gpu.pod?.pod ?? null);

describe('the exporter’s pod mapping follows the simulated Kubernetes API', () => {
  it('starts as the API has it: every GPU pod of the API is on the GPUs the exporter names', () => {
    const { kube, dcgm } = world();
    const before = dcgm.nodes.map((n) => podsOn(dcgm, n.name));
    syncPodsFromKube(dcgm, kube);
    expect(dcgm.nodes.map((n) => podsOn(dcgm, n.name))).toEqual(before);
    const apiPods = new Set(
      kube
        .list('Pod')
        .filter((p) => (p.spec as { nodeName?: string }).nodeName)
        .map((p) => p.metadata.name),
    );
    for (const n of dcgm.nodes)
      for (const pod of podsOn(dcgm, n.name)) if (pod) expect(apiPods.has(pod)).toBe(true);
  });

  it('a drained node’s GPUs go idle and the replacement pods show on the nodes they were scheduled to', () => {
    const { clock, kube, dcgm } = world();
    const node = 'node-1';
    const victims = podsOn(dcgm, node).filter((p): p is string => p !== null);
    expect(victims.length).toBeGreaterThan(0);
    const n = kube.find('Node', undefined, node)!;
    kube.save({ ...n, spec: { ...(n.spec as object), unschedulable: true } });
    for (const name of new Set(victims)) {
      const pod = kube.list('Pod').find((p) => p.metadata.name === name)!;
      kube.remove('Pod', pod.metadata.namespace, name);
    }
    clock.advance(15_000);
    syncPodsFromKube(dcgm, kube);
    expect(podsOn(dcgm, node).filter((p) => p !== null)).toEqual([]);
    const sampled = dcgm.sample().find((x) => x.node.name === node)!;
    expect(sampled.gpus.every((g) => g.utilPct < 5)).toBe(true);
    // The ReplicaSets made new pods elsewhere; the exporter names them on their new nodes.
    const replacements = kube
      .list('Pod')
      .filter((p) => !victims.includes(p.metadata.name) && (p.spec as { nodeName?: string }).nodeName);
    const shown = new Set(dcgm.nodes.flatMap((x) => podsOn(dcgm, x.name)));
    const scheduled = replacements.filter((p) =>
      (p.spec as { containers: { resources?: { limits?: Record<string, string> } }[] }).containers.some(
        (c) => Number(c.resources?.limits?.['nvidia.com/gpu'] ?? 0) > 0,
      ),
    );
    expect(scheduled.length).toBeGreaterThan(0);
    for (const p of scheduled) expect(shown.has(p.metadata.name), p.metadata.name).toBe(true);
  });
});
