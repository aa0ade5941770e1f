import { z } from 'zod';
import type { AgentPoolApi } from '../../remediation/executors/azure.ts';
import type { KubeClients } from '../../remediation/executors/kubernetes.ts';

/** The AKS label naming a node's agent pool. */
const POOL_LABEL = 'kubernetes.azure.com/agentpool';

const hpaItem = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string() }),
  spec: z.object({ maxReplicas: z.number().int(), minReplicas: z.number().int().optional() }),
  status: z.object({ currentReplicas: z.number().int().optional() }).optional(),
});
const nodeItem = z.object({
  metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }),
});

export interface HpaHeadroom {
  name: string;
  min: number;
  max: number;
  current: number;
}

export interface PoolHeadroom {
  pool: string;
  nodes: number;
  /** The autoscaler's ceiling from the AKS agent pool (undefined without Resource Manager access). */
  max: number | undefined;
  autoscaling: boolean | undefined;
}

/**
 * Scaling headroom: each HorizontalPodAutoscaler's max against its current replicas, and each
 * node pool's nodes (Kubernetes, by the AKS agent-pool label) against the pool's max count
 * (Resource Manager, when the policy names the AKS cluster).
 */
export async function readScalingHeadroom(
  kube: KubeClients,
  nodePools: AgentPoolApi | undefined,
): Promise<{ hpas: HpaHeadroom[]; pools: PoolHeadroom[] }> {
  const [hpaList, nodeList] = await Promise.all([
    kube.autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
    kube.core.listNode(),
  ]);
  const hpas = hpaList.items
    .map((i) => hpaItem.parse(i))
    .map((h) => ({
      name: `${h.metadata.namespace}/${h.metadata.name}`,
      min: h.spec.minReplicas ?? 1,
      max: h.spec.maxReplicas,
      current: h.status?.currentReplicas ?? 0,
    }))
    .sort((a, b) => a.max - a.current - (b.max - b.current) || a.name.localeCompare(b.name));
  const counts = new Map<string, number>();
  for (const n of nodeList.items.map((i) => nodeItem.parse(i))) {
    const pool = n.metadata.labels?.[POOL_LABEL];
    if (pool) counts.set(pool, (counts.get(pool) ?? 0) + 1);
  }
  const pools = await Promise.all(
    [...counts.entries()].sort().map(async ([pool, nodes]): Promise<PoolHeadroom> => {
      if (!nodePools) return { pool, nodes, max: undefined, autoscaling: undefined };
      const p = (await nodePools.get(pool)).properties;
      return {
        pool,
        nodes,
        max: p.enableAutoScaling ? (p.maxCount ?? undefined) : p.count,
        autoscaling: p.enableAutoScaling,
      };
    }),
  );
  return { hpas, pools };
}
