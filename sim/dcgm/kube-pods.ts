import type { KubeCluster } from '../kube/cluster.ts';
import type { KubeObject } from '../kube/store.ts';
import type { DcgmCluster } from './cluster.ts';
import type { PodRef } from './placement.ts';

const GPU = 'nvidia.com/gpu';

interface PodSpecLike {
  nodeName?: string;
  containers?: {
    name: string;
    resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> };
  }[];
}

function gpusRequested(spec: PodSpecLike): number {
  return (spec.containers ?? []).reduce(
    (sum, ct) => sum + Number(ct.resources?.limits?.[GPU] ?? ct.resources?.requests?.[GPU] ?? 0),
    0,
  );
}

/** Pods holding GPUs on each node: bound, not finished, asking for `nvidia.com/gpu`. */
function gpuPodsByNode(kube: KubeCluster): Map<string, { pod: KubeObject; gpus: number }[]> {
  const out = new Map<string, { pod: KubeObject; gpus: number }[]>();
  for (const pod of kube.list('Pod')) {
    const spec = (pod.spec ?? {}) as PodSpecLike;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    const gpus = gpusRequested(spec);
    if (!spec.nodeName || gpus === 0 || phase === 'Succeeded' || phase === 'Failed') continue;
    const list = out.get(spec.nodeName) ?? [];
    list.push({ pod, gpus });
    out.set(spec.nodeName, list);
  }
  return out;
}

/**
 * Makes the exporter's pod mapping follow the simulated Kubernetes API, as the real exporter reads
 * it from the kubelet's pod-resources API: a GPU keeps its pod while that pod is still on the node;
 * a pod that was evicted, deleted or rolled away frees its GPUs (they go idle), and a pod newly
 * bound to a node takes the lowest free GPUs, as many as it asks for. Idempotent: call it as often
 * as the cluster may have changed (local mode does every second).
 */
export function syncPodsFromKube(dcgm: DcgmCluster, kube: KubeCluster): void {
  kube.tick();
  const byNode = gpuPodsByNode(kube);
  for (const node of dcgm.nodes) {
    const pods = byNode.get(node.name) ?? [];
    const present = new Set(pods.map(({ pod }) => `${pod.metadata.namespace}/${pod.metadata.name}`));
    const key = (p: PodRef) => `${p.namespace}/${p.pod}`;
    for (const gpu of node.gpus) if (gpu.pod && !present.has(key(gpu.pod))) gpu.pod = undefined;
    const holding = new Set(node.gpus.flatMap((g) => (g.pod ? [key(g.pod)] : [])));
    for (const { pod, gpus } of pods) {
      const ref: PodRef = {
        namespace: pod.metadata.namespace ?? '',
        pod: pod.metadata.name,
        container: ((pod.spec ?? {}) as PodSpecLike).containers?.[0]?.name ?? '',
      };
      if (holding.has(key(ref))) continue;
      for (const gpu of node.gpus.filter((g) => !g.pod).slice(0, gpus)) gpu.pod = ref;
    }
  }
}
