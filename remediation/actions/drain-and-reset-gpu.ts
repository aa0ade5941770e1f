import { z } from 'zod';
import type { Plan } from '../../core/remediation/plan.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import { ExecutorError, guardrailBreach } from '../errors.ts';
import {
  cordonedNodeCount,
  evictPod,
  planEvictions,
  podRef,
  remainingEvictions,
} from '../executors/drain.ts';
import {
  describeResetJob,
  planResetJob,
  type ResetJobSpec,
  resetJobObject,
  resetJobSpec,
} from '../executors/gpu-reset-job.ts';
import { dryRunParam, kubeCall, strategicPatch } from '../executors/kubernetes.ts';
import { checkResource, k8sName } from '../guard.ts';

const params = z.object({
  node: k8sName,
  gpu: z.coerce.number().int().min(0).max(15),
});

const state = z.object({
  unschedulable: z.boolean(),
  evict: z.array(podRef),
  resetJob: resetJobSpec.nullable(),
});

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

/** Creates the reset Job; one that already exists (an earlier poll made it) is left as it is. */
async function createResetJob(ctx: ActionContext, job: ResetJobSpec, dryRun: boolean): Promise<string> {
  try {
    await kubeCall(`create Job ${job.namespace}/${job.name}`, () =>
      ctx.kube.batch.createNamespacedJob({
        namespace: job.namespace,
        body: resetJobObject(job),
        ...dryRunParam(dryRun),
      }),
    );
    return `${dryRun ? 'would create' : 'created'} Job ${job.namespace}/${job.name}`;
  } catch (err) {
    if (err instanceof ExecutorError && err.status === 409) return `Job ${job.namespace}/${job.name} exists`;
    throw err;
  }
}

/** The reset Job's outcome: done, failed (a person must look at its log) or still running. */
async function resetOutcome(ctx: ActionContext, job: ResetJobSpec): Promise<'succeeded' | 'running'> {
  const read = await kubeCall(`read Job ${job.namespace}/${job.name}`, () =>
    ctx.kube.batch.readNamespacedJob({ name: job.name, namespace: job.namespace }),
  );
  if ((read.status?.succeeded ?? 0) > 0) return 'succeeded';
  if ((read.status?.failed ?? 0) > 0)
    throw new ExecutorError(
      'GPU_RESET_FAILED',
      `the reset Job ${job.namespace}/${job.name} failed: read its log (kubectl logs -n ${job.namespace} job/${job.name}); a GPU still in use cannot be reset`,
      undefined,
    );
  return 'running';
}

/**
 * Drain a GPU node and reset one GPU: cordon, evict the workload's pods (PodDisruptionBudgets
 * respected), and once none is left run `nvidia-smi -r -i <gpu>` in a privileged Job pinned to
 * the node. What an SRE does for a double-bit ECC error followed by a row remap (XID 48 then
 * 63/64): the reset activates the remap, and needs the GPU idle. The node stays cordoned; the
 * rollback uncordons it.
 */
export const drainAndResetGpu = defineAction({
  id: 'drain-and-reset-gpu',
  title: 'Drain node and reset GPU',
  risk: 'high',
  description:
    'Cordon the node, evict its pods, then reset one GPU with nvidia-smi in a privileged Job on the node.',
  params,
  async plan(p, ctx) {
    checkResource(ctx.guardrails, 'nodes', p.node);
    const node = await kubeCall('read node', () => ctx.kube.core.readNode({ name: p.node }));
    const gpus = Number.parseInt(String(node.status?.capacity?.['nvidia.com/gpu'] ?? '0'), 10) || 0;
    if (p.gpu >= gpus)
      throw guardrailBreach(
        gpus === 0 ? `${p.node} has no GPUs` : `${p.node} has ${gpus} GPUs (0–${gpus - 1}), not GPU ${p.gpu}`,
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
    const version = node.metadata?.resourceVersion ?? '';
    const job = planResetJob(p.node, p.gpu, version, ctx.gpuReset);
    checkResource(ctx.guardrails, 'jobs', job.name);
    return {
      actionId: 'drain-and-reset-gpu',
      params: p,
      summary: `Drain ${p.node} (evict ${evict.length} pods) and reset GPU ${p.gpu}`,
      targets: [{ kind: 'Node', namespace: null, name: p.node, resourceVersion: version }],
      current: { unschedulable: was, evict: [], resetJob: null },
      desired: { unschedulable: true, evict, resetJob: job },
      diff: [
        `${p.node} spec.unschedulable: ${was} → true`,
        ...evict.map((e) => `evict ${e.namespace}/${e.name}`),
        `then, once no evicted pod is left: ${describeResetJob(job)}`,
      ],
      rollback: {
        description: `Uncordon ${p.node} once /gpu ${p.node} shows GPU ${p.gpu} healthy (a reset cannot be undone)`,
        action: was ? null : 'cordon-node',
        params: { node: p.node, unschedulable: false, drain: false },
      },
      notes: [
        `${p.node} stays cordoned after the reset; uncordon it (the rollback) when GPU ${p.gpu} reads healthy.`,
        ...(left
          ? [
              `${left} pods outside the allowed namespaces stay on the node; the reset fails if one of them uses GPU ${p.gpu}`,
            ]
          : []),
      ],
    };
  },
  async dryRun(plan, ctx) {
    const desired = state.parse(plan.desired);
    const detail = [await cordon(plan, ctx, true)];
    for (const pod of desired.evict) detail.push(await evictPod(ctx, pod, true));
    if (desired.resetJob) detail.push(await createResetJob(ctx, desired.resetJob, true));
    return { ok: true, detail };
  },
  async apply(plan, ctx): Promise<StepResult> {
    const desired = state.parse(plan.desired);
    const detail = [await cordon(plan, ctx, false)];
    for (const pod of desired.evict) detail.push(await evictPod(ctx, pod, false));
    detail.push('the reset Job is created once no evicted pod is left (verification)');
    return { ok: true, detail };
  },
  async verify(plan, ctx, deadline) {
    const desired = state.parse(plan.desired);
    const name = plan.targets[0]!.name;
    const job = desired.resetJob;
    return pollUntil(ctx, deadline, async () => {
      const remaining = await remainingEvictions(ctx, name, desired.evict);
      if (remaining.length > 0 || !job)
        return { ok: false, detail: [`${remaining.length} pods still to evict from ${name}`] };
      const created = await createResetJob(ctx, job, false);
      const outcome = await resetOutcome(ctx, job);
      return {
        ok: outcome === 'succeeded',
        detail: [
          `${name} drained`,
          created,
          outcome === 'succeeded'
            ? `GPU ${job.gpu} reset (${job.command.join(' ')} succeeded)`
            : `reset of GPU ${job.gpu} running`,
        ],
      };
    });
  },
});
