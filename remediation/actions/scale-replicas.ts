import type { V1Deployment, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { z } from 'zod';
import type { Plan } from '../../core/remediation/plan.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import { guardrailBreach } from '../errors.ts';
import { dryRunParam, kubeCall, mergePatch } from '../executors/kubernetes.ts';
import { checkNamespace, checkResource, k8sName } from '../guard.ts';

const params = z.object({
  namespace: k8sName.default('ml'),
  deployment: k8sName,
  /** Desired replicas (the HPA's minReplicas when an HPA targets it); default: two more, within the step. */
  replicas: z.coerce.number().int().min(1).optional(),
  /** HPA only: the new maxReplicas (default: unchanged, or raised to `replicas`). */
  maxReplicas: z.coerce.number().int().min(1).optional(),
});

/** Current and desired state; `via` says which object is written. */
const state = z.object({
  via: z.enum(['hpa', 'scale']),
  replicas: z.number().int(),
  minReplicas: z.number().int().optional(),
  maxReplicas: z.number().int().optional(),
});
type State = z.infer<typeof state>;

async function findHpa(ctx: ActionContext, namespace: string, deployment: string) {
  const list = await kubeCall('list HPAs', () =>
    ctx.kube.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
  );
  return list.items.find(
    (h: V2HorizontalPodAutoscaler) =>
      h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === deployment,
  );
}

function checkStep(ctx: ActionContext, from: number, to: number): void {
  const g = ctx.guardrails;
  if (to > g.maxReplicas) throw guardrailBreach(`${to} replicas is above the maximum of ${g.maxReplicas}`);
  if (Math.abs(to - from) > g.maxStep)
    throw guardrailBreach(
      `changing ${from} → ${to} replicas is a step of ${Math.abs(to - from)}; the maximum step is ${g.maxStep}`,
    );
}

async function write(plan: Plan, ctx: ActionContext, dryRun: boolean): Promise<StepResult> {
  const desired = state.parse(plan.desired);
  const target = plan.targets[0]!;
  const namespace = target.namespace ?? '';
  const metadata = { resourceVersion: target.resourceVersion };
  if (desired.via === 'hpa') {
    const hpa = await kubeCall('patch HPA', () =>
      ctx.kube.autoscaling.patchNamespacedHorizontalPodAutoscaler(
        {
          name: target.name,
          namespace,
          body: { metadata, spec: { minReplicas: desired.minReplicas, maxReplicas: desired.maxReplicas } },
          ...dryRunParam(dryRun),
        },
        mergePatch,
      ),
    );
    return {
      ok: true,
      detail: [`HPA ${target.name}: min ${hpa.spec?.minReplicas}, max ${hpa.spec?.maxReplicas}`],
    };
  }
  const scale = await kubeCall('patch /scale', () =>
    ctx.kube.apps.patchNamespacedDeploymentScale(
      {
        name: target.name,
        namespace,
        body: { metadata, spec: { replicas: desired.replicas } },
        ...dryRunParam(dryRun),
      },
      mergePatch,
    ),
  );
  return { ok: true, detail: [`deployment ${target.name}: spec.replicas ${scale.spec?.replicas}`] };
}

function readiness(d: V1Deployment, want: number): StepResult {
  const ready = d.status?.readyReplicas ?? 0;
  const spec = d.spec?.replicas ?? 0;
  return {
    ok: spec >= want && ready >= want,
    detail: [`${d.metadata?.name}: ${ready} of ${spec} replicas ready (want ${want})`],
  };
}

/** Scale inference replicas: raise the HPA's bounds when one targets the deployment, else /scale. */
export const scaleReplicas = defineAction({
  id: 'scale-replicas',
  title: 'Scale inference replicas',
  risk: 'medium',
  description: 'Raise replicas of an inference deployment (HPA min/max, or the /scale subresource).',
  params,
  async plan(raw, ctx) {
    checkNamespace(ctx.guardrails, raw.namespace);
    checkResource(ctx.guardrails, 'deployments', raw.deployment);
    const dep = await kubeCall('read deployment', () =>
      ctx.kube.apps.readNamespacedDeployment({ name: raw.deployment, namespace: raw.namespace }),
    );
    const replicas = dep.spec?.replicas ?? 1;
    const p = { ...raw, replicas: raw.replicas ?? replicas + Math.min(2, ctx.guardrails.maxStep) };
    checkStep(ctx, replicas, p.replicas);
    const hpa = await findHpa(ctx, p.namespace, p.deployment);
    if (hpa?.metadata?.name && hpa.spec) {
      checkResource(ctx.guardrails, 'horizontalpodautoscalers', hpa.metadata.name);
      const current: State = {
        via: 'hpa',
        replicas,
        minReplicas: hpa.spec.minReplicas ?? 1,
        maxReplicas: hpa.spec.maxReplicas,
      };
      const max = p.maxReplicas ?? Math.max(hpa.spec.maxReplicas, p.replicas);
      if (max > ctx.guardrails.maxReplicas)
        throw guardrailBreach(`maxReplicas ${max} is above the maximum of ${ctx.guardrails.maxReplicas}`);
      if (max < p.replicas)
        throw guardrailBreach(`maxReplicas ${max} is below the ${p.replicas} replicas asked for`);
      const desired: State = { via: 'hpa', replicas: p.replicas, minReplicas: p.replicas, maxReplicas: max };
      return {
        actionId: 'scale-replicas',
        params: p,
        summary: `Scale ${p.namespace}/${p.deployment} to at least ${p.replicas} replicas via HPA ${hpa.metadata.name}`,
        targets: [
          {
            kind: 'HorizontalPodAutoscaler',
            namespace: p.namespace,
            name: hpa.metadata.name,
            resourceVersion: hpa.metadata.resourceVersion ?? '',
          },
        ],
        current,
        desired,
        diff: [
          `HPA ${hpa.metadata.name} minReplicas ${current.minReplicas} → ${desired.minReplicas}`,
          `HPA ${hpa.metadata.name} maxReplicas ${current.maxReplicas} → ${desired.maxReplicas}`,
          `(deployment now at ${replicas} replicas)`,
        ],
        rollback: {
          description: `Restore HPA bounds min ${current.minReplicas}, max ${current.maxReplicas}`,
          action: 'scale-replicas',
          params: {
            namespace: p.namespace,
            deployment: p.deployment,
            replicas: current.minReplicas,
            maxReplicas: current.maxReplicas,
          },
        },
      };
    }
    const scale = await kubeCall('read /scale', () =>
      ctx.kube.apps.readNamespacedDeploymentScale({ name: p.deployment, namespace: p.namespace }),
    );
    return {
      actionId: 'scale-replicas',
      params: p,
      summary: `Scale ${p.namespace}/${p.deployment} from ${replicas} to ${p.replicas} replicas`,
      targets: [
        {
          kind: 'Deployment',
          namespace: p.namespace,
          name: p.deployment,
          resourceVersion: scale.metadata?.resourceVersion ?? '',
        },
      ],
      current: { via: 'scale', replicas },
      desired: { via: 'scale', replicas: p.replicas },
      diff: [`deployment ${p.deployment} replicas ${replicas} → ${p.replicas}`],
      rollback: {
        description: `Scale back to ${replicas} replicas`,
        action: 'scale-replicas',
        params: { namespace: p.namespace, deployment: p.deployment, replicas },
      },
    };
  },
  dryRun: (plan, ctx) => write(plan, ctx, true),
  apply: (plan, ctx) => write(plan, ctx, false),
  async verify(plan, ctx, deadline) {
    const p = params.parse(plan.params);
    const want = state.parse(plan.desired).replicas;
    return pollUntil(ctx, deadline, async () =>
      readiness(
        await kubeCall('read deployment', () =>
          ctx.kube.apps.readNamespacedDeployment({ name: p.deployment, namespace: p.namespace }),
        ),
        want,
      ),
    );
  },
});
