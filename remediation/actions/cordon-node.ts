import { z } from 'zod';
import type { Plan } from '../../core/remediation/plan.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import { guardrailBreach } from '../errors.ts';
import {
  cordonedNodeCount,
  evictPod,
  planEvictions,
  podRef,
  remainingEvictions,
} from '../executors/drain.ts';
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

const state = z.object({ unschedulable: z.boolean(), evict: z.array(podRef) });

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
  for (const pod of desired.evict) detail.push(await evictPod(ctx, pod, dryRun));
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
      const cordoned = await cordonedNodeCount(ctx);
      if (cordoned + 1 > ctx.guardrails.maxCordonedNodes)
        throw guardrailBreach(
          `${cordoned} nodes are already cordoned; at most ${ctx.guardrails.maxCordonedNodes} may be`,
        );
    }
    if (p.unschedulable === was && !p.drain)
      throw guardrailBreach(`${p.node} is already ${was ? 'cordoned' : 'schedulable'}`);
    const { evict: evictList, left } =
      p.drain && p.unschedulable ? await planEvictions(ctx, p.node) : { evict: [], left: 0 };
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
      // Evictions refused by a budget earlier are retried on each poll.
      const remaining = await remainingEvictions(ctx, name, desired.evict);
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
