import type { V1Deployment } from '@kubernetes/client-node';
import { z } from 'zod';
import type { Plan } from '../../core/remediation/plan.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import { guardrailBreach } from '../errors.ts';
import {
  dryRunParam,
  kubeCall,
  mergePatch,
  RESTARTED_AT_ANNOTATION,
  strategicPatch,
} from '../executors/kubernetes.ts';
import { checkNamespace, checkResource, k8sName } from '../guard.ts';

const params = z.object({
  namespace: k8sName.default('ml'),
  deployment: k8sName.default('llm-api'),
  configMap: k8sName.default('llm-api-config'),
  key: z
    .string()
    .regex(/^[-._a-zA-Z0-9]+$/)
    .default('BATCH_SIZE'),
  /** New batch size; default: half of today's, but never below the guardrail's minimum. */
  batchSize: z.coerce.number().int().min(1).optional(),
});

const state = z.object({ batchSize: z.number().int() });
/** The restart annotation before the plan; verification waits for a rollout with a new one. */
const currentState = state.extend({ restartedAt: z.string().nullable() });

/** Kubernetes time format, as `kubectl rollout restart` writes it. */
function kubeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function write(plan: Plan, ctx: ActionContext, dryRun: boolean): Promise<StepResult> {
  const p = params.parse(plan.params);
  const desired = state.parse(plan.desired);
  const [cmRef, depRef] = plan.targets;
  const restartedAt = kubeTime(ctx.clock.now());
  const cm = await kubeCall('patch ConfigMap', () =>
    ctx.kube.core.patchNamespacedConfigMap(
      {
        name: p.configMap,
        namespace: p.namespace,
        body: {
          metadata: { resourceVersion: cmRef?.resourceVersion },
          data: { [p.key]: String(desired.batchSize) },
        },
        ...dryRunParam(dryRun),
      },
      mergePatch,
    ),
  );
  // The pods read the key at start-up: a new template annotation rolls them, like `kubectl rollout restart`.
  const dep = await kubeCall('restart rollout', () =>
    ctx.kube.apps.patchNamespacedDeployment(
      {
        name: p.deployment,
        namespace: p.namespace,
        body: {
          metadata: { resourceVersion: depRef?.resourceVersion },
          spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: restartedAt } } } },
        },
        fieldManager: 'incident-bot',
        ...dryRunParam(dryRun),
      },
      strategicPatch,
    ),
  );
  return {
    ok: true,
    detail: [
      `${p.configMap}: ${p.key}=${cm.data?.[p.key]}`,
      `${p.deployment}: restartedAt ${dep.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION]}`,
    ],
  };
}

function rolledOut(d: V1Deployment, before: string | null): StepResult {
  const want = d.spec?.replicas ?? 0;
  const s = d.status;
  const annotated = (d.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION] ?? null) !== before;
  const ok =
    annotated &&
    (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s?.updatedReplicas ?? 0) === want &&
    (s?.readyReplicas ?? 0) >= want &&
    (s?.replicas ?? 0) === want;
  return {
    ok,
    detail: [
      `${d.metadata?.name}: ${s?.updatedReplicas ?? 0} updated, ${s?.readyReplicas ?? 0} ready of ${want}`,
    ],
  };
}

/** Reduce the inference batch size (ConfigMap key) and restart the rollout so pods pick it up. */
export const reduceBatchSize = defineAction({
  id: 'reduce-batch-size',
  title: 'Reduce batch size',
  risk: 'medium',
  description: 'Lower the batch size the inference pods read, then restart the rollout.',
  params,
  async plan(p, ctx) {
    checkNamespace(ctx.guardrails, p.namespace);
    checkResource(ctx.guardrails, 'configmaps', p.configMap);
    checkResource(ctx.guardrails, 'deployments', p.deployment);
    const cm = await kubeCall('read ConfigMap', () =>
      ctx.kube.core.readNamespacedConfigMap({ name: p.configMap, namespace: p.namespace }),
    );
    const dep = await kubeCall('read deployment', () =>
      ctx.kube.apps.readNamespacedDeployment({ name: p.deployment, namespace: p.namespace }),
    );
    const current = Number(cm.data?.[p.key]);
    if (!Number.isInteger(current) || current < 1)
      throw guardrailBreach(`${p.configMap} has no integer ${p.key} to change`);
    const min = ctx.guardrails.minBatchSize;
    const target = p.batchSize ?? Math.max(min, Math.floor(current / 2));
    if (target < min) throw guardrailBreach(`batch size ${target} is below the minimum of ${min}`);
    if (target === current) throw guardrailBreach(`${p.key} is already ${current}`);
    const previous = dep.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION] ?? null;
    return {
      actionId: 'reduce-batch-size',
      params: { ...p, batchSize: target },
      summary: `Set ${p.key} ${current} → ${target} and restart ${p.namespace}/${p.deployment}`,
      targets: [
        {
          kind: 'ConfigMap',
          namespace: p.namespace,
          name: p.configMap,
          resourceVersion: cm.metadata?.resourceVersion ?? '',
        },
        {
          kind: 'Deployment',
          namespace: p.namespace,
          name: p.deployment,
          resourceVersion: dep.metadata?.resourceVersion ?? '',
        },
      ],
      current: { batchSize: current, restartedAt: previous },
      desired: { batchSize: target },
      diff: [
        `${p.configMap} ${p.key}: ${current} → ${target}`,
        `${p.deployment}: rolling restart (${dep.spec?.replicas ?? 0} pods replaced one batch at a time)`,
      ],
      rollback: {
        description: `Set ${p.key} back to ${current} and restart again`,
        action: 'reduce-batch-size',
        params: {
          namespace: p.namespace,
          deployment: p.deployment,
          configMap: p.configMap,
          key: p.key,
          batchSize: current,
        },
      },
    };
  },
  dryRun: (plan, ctx) => write(plan, ctx, true),
  apply: (plan, ctx) => write(plan, ctx, false),
  async verify(plan, ctx, deadline) {
    const p = params.parse(plan.params);
    const before = currentState.parse(plan.current).restartedAt;
    return pollUntil(ctx, deadline, async () =>
      rolledOut(
        await kubeCall('read deployment', () =>
          ctx.kube.apps.readNamespacedDeployment({ name: p.deployment, namespace: p.namespace }),
        ),
        before,
      ),
    );
  },
});
