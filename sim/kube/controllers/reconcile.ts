import type { KubeCluster } from '../cluster.ts';
import { syncNodeReboots } from '../node-vms.ts';
import { syncAutoscalers, syncDisruptionBudgets, syncNodeTaints } from './cluster-state.ts';
import { rollOutDeployments, updateDeploymentStatus } from './deployments.ts';
import { collectGarbage } from './garbage.ts';
import { syncJobs } from './jobs.ts';
import { schedulePods, syncReplicaSetPods, updatePodStatus, updateReplicaSetStatus } from './pods.ts';

const passes = [
  collectGarbage,
  syncNodeReboots,
  syncNodeTaints,
  syncAutoscalers,
  rollOutDeployments,
  syncReplicaSetPods,
  schedulePods,
  syncJobs,
  updatePodStatus,
  updateReplicaSetStatus,
  updateDeploymentStatus,
  syncDisruptionBudgets,
];

/**
 * Run the controllers in dependency order until a pass writes nothing, so the cluster reaches
 * the fixed point for the current clock reading (a rollout step may need a few passes).
 */
export function reconcileAll(c: KubeCluster): void {
  for (let round = 0; round < 10; round++) {
    const before = c.store.resourceVersion;
    for (const pass of passes) pass(c);
    if (c.store.resourceVersion === before) return;
  }
}
