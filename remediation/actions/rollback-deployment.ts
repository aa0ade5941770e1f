import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { z } from 'zod';
import type { Plan } from '../../core/remediation/plan.ts';
import { MODEL_LABEL, MODEL_VERSION_LABEL } from '../../core/workload-labels.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import { guardrailBreach } from '../errors.ts';
import { dryRunParam, jsonPatch, kubeCall, REVISION_ANNOTATION } from '../executors/kubernetes.ts';
import { checkNamespace, checkResource, k8sName } from '../guard.ts';

const labelValue = z
  .string()
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'must be a label value');

const params = z
  .object({
    namespace: k8sName.default('ml'),
    /** The Deployment; or leave it out and name the `model` it serves. */
    deployment: k8sName.optional(),
    /** The model the Deployment serves (its {@link MODEL_LABEL}). */
    model: labelValue.optional(),
    /** The model version the alert is about: the rollback leaves it, and refuses if it is not running. */
    modelVersion: labelValue.optional(),
    /** Revision to return to; default: the one before the current (before `modelVersion`, if named). */
    toRevision: z.coerce.number().int().min(1).optional(),
  })
  .refine((p) => p.deployment !== undefined || p.model !== undefined, {
    message: 'name the deployment or the model it serves',
    path: ['deployment'],
  });

const containerSummary = z.record(z.string(), z.string());
const state = z.object({
  revision: z.number().int(),
  images: containerSummary,
  template: z.record(z.string(), z.unknown()),
});

const modelVersionOf = (t: V1PodTemplateSpec | undefined) => t?.metadata?.labels?.[MODEL_VERSION_LABEL];

/** The one Deployment of the namespace labelled as serving `model`. */
async function deploymentOfModel(
  ctx: ActionContext,
  namespace: string,
  model: string,
): Promise<V1Deployment> {
  const list = await kubeCall('list deployments of model', () =>
    ctx.kube.apps.listNamespacedDeployment({ namespace, labelSelector: `${MODEL_LABEL}=${model}` }),
  );
  const [only, ...more] = list.items;
  if (!only) throw guardrailBreach(`no deployment in ${namespace} is labelled ${MODEL_LABEL}=${model}`);
  if (more.length)
    throw guardrailBreach(
      `${list.items.length} deployments in ${namespace} serve ${model}; name one (${list.items.map((d) => d.metadata?.name).join(', ')})`,
    );
  return only;
}

const revisionOf = (o: { metadata?: { annotations?: Record<string, string> } }) =>
  Number(o.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0);

function imagesOf(t: V1PodTemplateSpec | undefined): Record<string, string> {
  return Object.fromEntries((t?.spec?.containers ?? []).map((c) => [c.name, c.image ?? '']));
}

function envOf(t: V1PodTemplateSpec | undefined): string[] {
  return (t?.spec?.containers ?? []).flatMap((c) =>
    (c.env ?? []).map((e) => `${c.name} ${e.name}=${e.value ?? ''}`),
  );
}

/** The template as `kubectl rollout undo` restores it: without the controller's hash label. */
function restorableTemplate(rs: V1ReplicaSet): Record<string, unknown> {
  const template = structuredClone(rs.spec?.template ?? {}) as V1PodTemplateSpec;
  delete template.metadata?.labels?.['pod-template-hash'];
  return JSON.parse(JSON.stringify(template)) as Record<string, unknown>;
}

async function ownedReplicaSets(ctx: ActionContext, dep: V1Deployment): Promise<V1ReplicaSet[]> {
  const selector = Object.entries(dep.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const list = await kubeCall('list ReplicaSets', () =>
    ctx.kube.apps.listNamespacedReplicaSet({
      namespace: dep.metadata?.namespace ?? '',
      labelSelector: selector,
    }),
  );
  return list.items.filter((rs) =>
    rs.metadata?.ownerReferences?.some((o) => o.controller && o.uid === dep.metadata?.uid),
  );
}

async function write(plan: Plan, ctx: ActionContext, dryRun: boolean): Promise<StepResult> {
  const desired = state.parse(plan.desired);
  const t = plan.targets[0]!;
  // A JSON patch whose `test` op pins the resourceVersion: a changed deployment fails the patch.
  const dep = await kubeCall('roll back deployment', () =>
    ctx.kube.apps.patchNamespacedDeployment(
      {
        name: t.name,
        namespace: t.namespace ?? '',
        body: [
          { op: 'test', path: '/metadata/resourceVersion', value: t.resourceVersion },
          { op: 'replace', path: '/spec/template', value: desired.template },
        ],
        ...dryRunParam(dryRun),
      },
      jsonPatch,
    ),
  );
  return {
    ok: true,
    detail: [`${t.name}: template now ${Object.values(imagesOf(dep.spec?.template)).join(', ')}`],
  };
}

/** Roll a model deployment back to an earlier ReplicaSet revision (`kubectl rollout undo`). */
export const rollbackDeployment = defineAction({
  id: 'rollback-deployment',
  title: 'Roll back model deployment',
  risk: 'high',
  description: 'Restore the pod template of an earlier revision (e.g. the previous model version).',
  params,
  async plan(p, ctx) {
    checkNamespace(ctx.guardrails, p.namespace);
    const dep = p.deployment
      ? await kubeCall('read deployment', () =>
          ctx.kube.apps.readNamespacedDeployment({ name: p.deployment!, namespace: p.namespace }),
        )
      : await deploymentOfModel(ctx, p.namespace, p.model!);
    const name = dep.metadata?.name ?? '';
    checkResource(ctx.guardrails, 'deployments', name);
    const running = modelVersionOf(dep.spec?.template);
    if (p.modelVersion && running !== p.modelVersion)
      throw guardrailBreach(`${name} runs model version ${running ?? 'unknown'}, not ${p.modelVersion}`);
    const current = revisionOf(dep);
    const history = (await ownedReplicaSets(ctx, dep)).sort((a, b) => revisionOf(b) - revisionOf(a));
    const target = p.toRevision
      ? history.find((rs) => revisionOf(rs) === p.toRevision)
      : history.find(
          (rs) =>
            revisionOf(rs) < current &&
            (!p.modelVersion || modelVersionOf(rs.spec?.template) !== p.modelVersion),
        );
    if (!target)
      throw guardrailBreach(
        `${name} has no revision ${p.toRevision ?? `before ${current}`}${p.modelVersion ? ` without model version ${p.modelVersion}` : ''} (known: ${history.map(revisionOf).join(', ')})`,
      );
    if (revisionOf(target) === current) throw guardrailBreach(`${name} already runs revision ${current}`);
    const from = imagesOf(dep.spec?.template);
    const to = imagesOf(target.spec?.template);
    const envBefore = new Set(envOf(dep.spec?.template));
    const envAfter = envOf(target.spec?.template);
    return {
      actionId: 'rollback-deployment',
      params: { ...p, deployment: name, toRevision: revisionOf(target) },
      summary: `Roll back ${p.namespace}/${name} from revision ${current} to ${revisionOf(target)}`,
      targets: [
        {
          kind: 'Deployment',
          namespace: p.namespace,
          name,
          resourceVersion: dep.metadata?.resourceVersion ?? '',
        },
      ],
      current: {
        revision: current,
        images: from,
        template: JSON.parse(JSON.stringify(dep.spec?.template ?? {})),
      },
      desired: { revision: revisionOf(target), images: to, template: restorableTemplate(target) },
      diff: [
        `revision ${current} → ${revisionOf(target)} (${target.metadata?.annotations?.['kubernetes.io/change-cause'] ?? 'no change cause'})`,
        ...Object.keys({ ...from, ...to }).map((c) => `${c} image ${from[c] ?? '-'} → ${to[c] ?? '-'}`),
        ...envAfter.filter((e) => !envBefore.has(e)).map((e) => `env ${e}`),
      ],
      rollback: {
        description: `Roll forward to revision ${current} again`,
        action: 'rollback-deployment',
        params: { namespace: p.namespace, deployment: name, toRevision: current },
      },
    };
  },
  dryRun: (plan, ctx) => write(plan, ctx, true),
  apply: (plan, ctx) => write(plan, ctx, false),
  async verify(plan, ctx, deadline) {
    const desired = state.parse(plan.desired);
    const t = plan.targets[0]!;
    return pollUntil(ctx, deadline, async () => {
      const d = await kubeCall('read deployment', () =>
        ctx.kube.apps.readNamespacedDeployment({ name: t.name, namespace: t.namespace ?? '' }),
      );
      const s = d.status;
      const want = d.spec?.replicas ?? 0;
      const images = imagesOf(d.spec?.template);
      const ok =
        Object.entries(desired.images).every(([c, img]) => images[c] === img) &&
        (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
        (s?.updatedReplicas ?? 0) === want &&
        (s?.readyReplicas ?? 0) >= want &&
        (s?.replicas ?? 0) === want;
      return {
        ok,
        detail: [
          `${t.name}: ${Object.values(images).join(', ')}; ${s?.readyReplicas ?? 0}/${want} ready, ${s?.updatedReplicas ?? 0} updated`,
        ],
      };
    });
  },
});
