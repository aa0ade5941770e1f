import { z } from 'zod';
import { UserFacingError } from '../../core/errors.ts';
import type { Plan } from '../../core/remediation/plan.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import { guardrailBreach } from '../errors.ts';
import { cordonedNodeCount, evictPod, planEvictions, podRef } from '../executors/drain.ts';
import { dryRunParam, kubeCall, strategicPatch } from '../executors/kubernetes.ts';
import {
  describeScaleSetVm,
  type ScaleSetVmApi,
  scaleSetVm,
  scaleSetVmOf,
  scaleSetVmState,
} from '../executors/scale-set-vms.ts';
import { checkResource, k8sName } from '../guard.ts';

const params = z.object({ node: k8sName });

const state = z.object({
  unschedulable: z.boolean(),
  evict: z.array(podRef),
  vm: scaleSetVm,
  instance: scaleSetVmState,
  restart: z.boolean(),
});

function vmsOf(ctx: ActionContext): ScaleSetVmApi {
  if (!ctx.nodeVms)
    throw new UserFacingError(
      'AZURE_NOT_CONFIGURED',
      'Rebooting a node needs the AKS cluster (remediation.aks in the policy, AZURE_SUBSCRIPTION_ID) and an Azure identity configured.',
    );
  return ctx.nodeVms;
}

async function cordon(plan: Plan, ctx: ActionContext, dryRun: boolean): Promise<string> {
  const t = plan.targets[0]!;
  const node = await kubeCall('patch node', () =>
    ctx.kube.core.patchNode(
      {
        name: t.name,
        body: { metadata: { resourceVersion: t.resourceVersion }, spec: { unschedulable: true } },
        ...dryRunParam(dryRun),
      },
      strategicPatch,
    ),
  );
  return `${t.name}: unschedulable=${node.spec?.unschedulable ?? false}`;
}

/**
 * Reboot a GPU node: cordon it, evict its pods (PodDisruptionBudgets respected), then restart its
 * VM scale set instance through Azure Resource Manager (`virtualMachineScaleSetVMs.beginRestart`).
 * What an SRE does for a GPU that fell off the bus (XID 79): a GPU reset cannot reach it, a reboot
 * can. The node stays cordoned until someone sees all its GPUs back and uncordons it (the rollback).
 */
export const rebootNode = defineAction({
  id: 'reboot-node',
  title: 'Reboot GPU node',
  risk: 'high',
  description: 'Cordon and drain the node, then restart its VM scale set instance (AKS) through Azure.',
  params,
  async plan(p, ctx) {
    checkResource(ctx.guardrails, 'nodes', p.node);
    const node = await kubeCall('read node', () => ctx.kube.core.readNode({ name: p.node }));
    const vm = scaleSetVmOf(node.spec?.providerID);
    if (!vm)
      throw new UserFacingError(
        'NOT_A_SCALE_SET_NODE',
        `${p.node} is not a VM scale set instance (its providerID is "${node.spec?.providerID ?? ''}"), so the bot cannot restart it.`,
      );
    const vms = vmsOf(ctx);
    if (vm.subscriptionId.toLowerCase() !== vms.subscriptionId.toLowerCase())
      throw guardrailBreach(`${p.node} runs in subscription ${vm.subscriptionId}, not the configured one`);
    const instance = await vms.state(vm);
    if (instance.provisioning !== 'succeeded')
      throw guardrailBreach(
        `the instance of ${p.node} is ${instance.provisioning}; try again when it settles`,
      );
    const was = node.spec?.unschedulable ?? false;
    if (!was) {
      const cordoned = await cordonedNodeCount(ctx);
      if (cordoned + 1 > ctx.guardrails.maxCordonedNodes)
        throw guardrailBreach(
          `${cordoned} nodes are already cordoned; at most ${ctx.guardrails.maxCordonedNodes} may be`,
        );
    }
    const { evict, left } = await planEvictions(ctx, p.node);
    const vmPath = `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${vm.scaleSet}/virtualMachines/${vm.instanceId}`;
    return {
      actionId: 'reboot-node',
      params: p,
      summary: `Drain ${p.node} (evict ${evict.length} pods) and restart its VM ${vm.scaleSet}/${vm.instanceId}`,
      targets: [
        {
          kind: 'Node',
          namespace: null,
          name: p.node,
          resourceVersion: node.metadata?.resourceVersion ?? '',
        },
        {
          kind: 'VirtualMachineScaleSetVM',
          namespace: null,
          name: `${vm.scaleSet}/${vm.instanceId}`,
          resourceVersion: instance.provisionedAt ?? '',
        },
      ],
      current: { unschedulable: was, evict: [], vm, instance, restart: false },
      desired: { unschedulable: true, evict, vm, instance, restart: true },
      diff: [
        `${p.node} spec.unschedulable: ${was} → true`,
        ...evict.map((e) => `evict ${e.namespace}/${e.name}`),
        `restart VM scale set instance ${describeScaleSetVm(vm)}: POST ${vmPath}/restart`,
      ],
      rollback: {
        description: `Uncordon ${p.node} once /gpu ${p.node} shows all its GPUs (a reboot cannot be undone)`,
        action: was ? null : 'cordon-node',
        params: { node: p.node, unschedulable: false, drain: false },
      },
      notes: [
        'Pods still terminating when the instance restarts stop with it.',
        `${p.node} stays cordoned after the reboot; uncordon it (the rollback) when its GPUs are back.`,
        ...(left ? [`${left} pods outside the allowed namespaces stay on the node and restart with it`] : []),
      ],
    };
  },
  async dryRun(plan, ctx): Promise<StepResult> {
    const desired = state.parse(plan.desired);
    const detail = [await cordon(plan, ctx, true)];
    for (const pod of desired.evict) detail.push(await evictPod(ctx, pod, true));
    // ARM has no dry run for a restart: re-read the instance and check it is as planned.
    const now = await vmsOf(ctx).state(desired.vm);
    const same = now.provisioning === 'succeeded' && now.provisionedAt === desired.instance.provisionedAt;
    detail.push(
      same
        ? `instance ${desired.vm.scaleSet}/${desired.vm.instanceId} ${now.power}; no ARM dry run exists for a restart, state validated`
        : `instance ${desired.vm.scaleSet}/${desired.vm.instanceId} changed since it was read (${now.provisioning})`,
    );
    return { ok: same, detail };
  },
  async apply(plan, ctx): Promise<StepResult> {
    const desired = state.parse(plan.desired);
    const detail = [await cordon(plan, ctx, false)];
    for (const pod of desired.evict) detail.push(await evictPod(ctx, pod, false));
    await vmsOf(ctx).restart(desired.vm);
    detail.push(`restart of ${desired.vm.scaleSet}/${desired.vm.instanceId} accepted by Azure`);
    return { ok: true, detail };
  },
  async verify(plan, ctx, deadline) {
    const desired = state.parse(plan.desired);
    const name = plan.targets[0]!.name;
    return pollUntil(
      ctx,
      deadline,
      async () => {
        const now = await vmsOf(ctx).state(desired.vm);
        // The restart sets the provisioning state anew: a later time than the plan read.
        const restarted =
          now.provisionedAt !== null &&
          (desired.instance.provisionedAt === null || now.provisionedAt > desired.instance.provisionedAt);
        const node = await kubeCall('read node', () => ctx.kube.core.readNode({ name }));
        const ready =
          node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
        return {
          ok: restarted && now.provisioning === 'succeeded' && now.power === 'running' && ready,
          detail: [
            `instance ${desired.vm.scaleSet}/${desired.vm.instanceId}: ${now.provisioning}, ${now.power}${restarted ? ', restarted' : ''}`,
            `${name}: ${ready ? 'Ready' : 'not Ready'}, unschedulable=${node.spec?.unschedulable ?? false}`,
          ],
        };
      },
      5_000,
    );
  },
});
