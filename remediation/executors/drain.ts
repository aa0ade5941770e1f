import type { V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import type { ActionContext } from '../action.ts';
import { ExecutorError } from '../errors.ts';
import { dryRunParam, kubeCall } from './kubernetes.ts';

/** A pod a drain evicts, as plans record it. */
export const podRef = z.object({ namespace: z.string(), name: z.string() });
export type PodRef = z.infer<typeof podRef>;

/** Pods a drain leaves alone: DaemonSet pods and static (mirror) pods, like `kubectl drain`. */
export function isEvictable(pod: V1Pod): boolean {
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) return false;
  return !pod.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet');
}

/** Every pod bound to a node, in any namespace. */
export async function podsOn(ctx: ActionContext, node: string): Promise<V1Pod[]> {
  const list = await kubeCall('list pods on node', () =>
    ctx.kube.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` }),
  );
  return list.items;
}

/**
 * What a drain of `node` would evict: its evictable pods in the namespaces the guardrails allow,
 * sorted; `left` counts the evictable pods outside them, which stay.
 */
export async function planEvictions(
  ctx: ActionContext,
  node: string,
): Promise<{ evict: PodRef[]; left: number }> {
  const pods = (await podsOn(ctx, node)).filter(isEvictable);
  const allowed = pods.filter((pod) => ctx.guardrails.namespaces.includes(pod.metadata?.namespace ?? ''));
  const evict = allowed
    .map((pod) => ({ namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return { evict, left: pods.length - allowed.length };
}

/** Evicts one pod through the Eviction API, so PodDisruptionBudgets are respected. */
export async function evictPod(ctx: ActionContext, pod: PodRef, dryRun: boolean): Promise<string> {
  try {
    await kubeCall(`evict ${pod.namespace}/${pod.name}`, () =>
      ctx.kube.core.createNamespacedPodEviction({
        name: pod.name,
        namespace: pod.namespace,
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: pod },
        ...dryRunParam(dryRun),
      }),
    );
    return `evicted ${pod.namespace}/${pod.name}`;
  } catch (err) {
    // 429: the PodDisruptionBudget says not now; 404: already gone. Verification retries the rest.
    if (err instanceof ExecutorError && err.status === 429)
      return `${pod.namespace}/${pod.name} waits for its disruption budget`;
    if (err instanceof ExecutorError && err.status === 404)
      return `${pod.namespace}/${pod.name} already gone`;
    throw err;
  }
}

/**
 * The planned pods still on the node; each is evicted again (a budget that refused earlier may
 * allow it now). Empty when the drain is complete.
 */
export async function remainingEvictions(
  ctx: ActionContext,
  node: string,
  planned: readonly PodRef[],
): Promise<PodRef[]> {
  const wanted = new Set(planned.map((e) => `${e.namespace}/${e.name}`));
  const remaining = (await podsOn(ctx, node))
    .map((pod) => ({ namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }))
    .filter((pod) => wanted.has(`${pod.namespace}/${pod.name}`));
  for (const pod of remaining) await evictPod(ctx, pod, false);
  return remaining;
}

/** How many nodes are cordoned now (the `maxCordonedNodes` guardrail counts them). */
export async function cordonedNodeCount(ctx: ActionContext): Promise<number> {
  const nodes = await kubeCall('list nodes', () => ctx.kube.core.listNode());
  return nodes.items.filter((n) => n.spec?.unschedulable).length;
}
