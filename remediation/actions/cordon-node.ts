import type { V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import type { Plan } from '../../core/remediation/plan.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import { ExecutorError, guardrailBreach } from '../errors.ts';
import { dryRunParam, kubeCall, strategicPatch } from '../executors/kubernetes.ts';
import { checkResource, k8sName } from '../guard.ts';

const params = z.object({
  node: k8sName,
  /** Also evict the node's pods (respecting PodDisruptionBudgets). */
  drain: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false),
  /** False uncordons (the rollback). */
  unschedulable: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .default(true),
});

const podRef = z.object({ namespace: z.string(), name: z.string() });
const state = z.object({ unschedulable: z.boolean(), evict: z.array(podRef) });
type PodRef = z.infer<typeof podRef>;

/** Pods a drain leaves alone: DaemonSet pods and static (mirror) pods, like `kubectl drain`. */
function isEvictable(pod: V1Pod): boolean {
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) return false;
  return !pod.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet');
}

async function podsOn(ctx: ActionContext, node: string): Promise<V1Pod[]> {
  const list = await kubeCall('list pods on node', () =>
    ctx.kube.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` }),
  );
  return list.items;
}

async function evict(ctx: ActionContext, pod: PodRef, dryRun: boolean): Promise<string> {
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

async function write(plan: Plan, ctx: ActionContext, dryRun: boolean): Promise<StepResult> {
  const desired = state.parse(plan.desired);
  const t = plan.targets[0]!;
  const node = await kubeCall('patch node', () =>
    ctx.kube.core.patchNode(
      {
        name: t.name,
        body: {
          metadata: { resourceVersion: t.resourceVersion },
          spec: { unschedulable: desired.unschedulable },
        },
        ...dryRunParam(dryRun),
      },
      strategicPatch,
    ),
  );
  const detail = [`${t.name}: unschedulable=${node.spec?.unschedulable ?? false}`];
  for (const pod of desired.evict) detail.push(await evict(ctx, pod, dryRun));
  return { ok: true, detail };
}

/** Cordon a GPU node (bad ECC, fatal XID) and optionally drain it; or uncordon it. */
export const cordonNode = defineAction({
  id: 'cordon-node',
  title: 'Cordon GPU node',
  risk: 'high',
  description: 'Mark a GPU node unschedulable and optionally evict its pods (PDBs respected).',
  params,
  async plan(p, ctx) {
    checkResource(ctx.guardrails, 'nodes', p.node);
    const node = await kubeCall('read node', () => ctx.kube.core.readNode({ name: p.node }));
    const was = node.spec?.unschedulable ?? false;
    if (p.unschedulable && !was) {
      const nodes = await kubeCall('list nodes', () => ctx.kube.core.listNode());
      const cordoned = nodes.items.filter((n) => n.spec?.unschedulable).length;
      if (cordoned + 1 > ctx.guardrails.maxCordonedNodes)
        throw guardrailBreach(
          `${cordoned} nodes are already cordoned; at most ${ctx.guardrails.maxCordonedNodes} may be`,
        );
    }
    if (p.unschedulable === was && !p.drain)
      throw guardrailBreach(`${p.node} is already ${was ? 'cordoned' : 'schedulable'}`);
    const pods = p.drain && p.unschedulable ? (await podsOn(ctx, p.node)).filter(isEvictable) : [];
    const allowed = pods.filter((pod) => ctx.guardrails.namespaces.includes(pod.metadata?.namespace ?? ''));
    const evictList = allowed
      .map((pod) => ({ namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    const left = pods.length - allowed.length;
    return {
      actionId: 'cordon-node',
      params: p,
      summary: `${p.unschedulable ? 'Cordon' : 'Uncordon'} ${p.node}${evictList.length ? ` and evict ${evictList.length} pods` : ''}`,
      targets: [
        {
          kind: 'Node',
          namespace: null,
          name: p.node,
          resourceVersion: node.metadata?.resourceVersion ?? '',
        },
      ],
      current: { unschedulable: was, evict: [] },
      desired: { unschedulable: p.unschedulable, evict: evictList },
      diff: [
        `${p.node} spec.unschedulable: ${was} → ${p.unschedulable}`,
        ...evictList.map((e) => `evict ${e.namespace}/${e.name}`),
      ],
      rollback: {
        description: p.unschedulable
          ? `Uncordon ${p.node} (evicted pods are rescheduled by their controllers, not moved back)`
          : `Cordon ${p.node} again`,
        action: 'cordon-node',
        params: { node: p.node, unschedulable: was, drain: false },
      },
      notes: left ? [`${left} pods outside the allowed namespaces stay on the node`] : [],
    };
  },
  dryRun: (plan, ctx) => write(plan, ctx, true),
  apply: (plan, ctx) => write(plan, ctx, false),
  async verify(plan, ctx, deadline) {
    const desired = state.parse(plan.desired);
    const name = plan.targets[0]!.name;
    return pollUntil(ctx, deadline, async () => {
      const node = await kubeCall('read node', () => ctx.kube.core.readNode({ name }));
      const cordoned = (node.spec?.unschedulable ?? false) === desired.unschedulable;
      const wanted = new Set(desired.evict.map((e) => `${e.namespace}/${e.name}`));
      const remaining = (await podsOn(ctx, name)).filter((pod) =>
        wanted.has(`${pod.metadata?.namespace}/${pod.metadata?.name}`),
      );
      // Evictions refused by a budget earlier are retried on each poll.
      for (const pod of remaining)
        await evict(ctx, { namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }, false);
      return {
        ok: cordoned && remaining.length === 0,
        detail: [
          `${name}: unschedulable=${node.spec?.unschedulable ?? false}`,
          `${remaining.length} pods still to evict`,
        ],
      };
    });
  },
});
