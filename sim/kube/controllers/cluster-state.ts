import type { KubeCluster } from '../cluster.ts';
import { cloneJson, equalJson } from '../json.ts';
import { matchesSelector } from '../selectors.ts';
import { hpaSchema, pdbSchema } from '../shapes.ts';
import { formatTime, type KubeObject } from '../store.ts';
import { type Condition, isPodReady, specOf, statusOf, withCondition } from './util.ts';

const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** The node lifecycle controller's part in cordoning: keep the unschedulable taint in step with the field. */
export function syncNodeTaints(c: KubeCluster): void {
  const now = formatTime(c.clock.now());
  for (const node of c.list('Node')) {
    const spec = specOf(node);
    const taints = (spec.taints ?? []) as { key: string }[];
    const has = taints.some((t) => t.key === UNSCHEDULABLE_TAINT);
    if (Boolean(spec.unschedulable) === has) continue;
    const next = cloneJson(node);
    specOf(next).taints = spec.unschedulable
      ? [...taints, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule', timeAdded: now }]
      : taints.filter((t) => t.key !== UNSCHEDULABLE_TAINT);
    if ((specOf(next).taints as unknown[]).length === 0) delete specOf(next).taints;
    c.save(next);
  }
}

/**
 * The HPA controller without metrics: keep the target Deployment's replicas inside
 * [minReplicas, maxReplicas], moving toward a recommendation set with
 * `setHpaRecommendation`. A target scaled to 0 disables autoscaling, as in Kubernetes.
 */
export function syncAutoscalers(c: KubeCluster): void {
  const now = formatTime(c.clock.now());
  for (const obj of c.list('HorizontalPodAutoscaler')) {
    const parsed = hpaSchema.safeParse(obj);
    if (!parsed.success) continue;
    const { spec } = parsed.data;
    const ns = obj.metadata.namespace;
    const target =
      spec.scaleTargetRef.kind === 'Deployment'
        ? c.find('Deployment', ns, spec.scaleTargetRef.name)
        : undefined;
    const status = statusOf(obj);
    const next: Record<string, unknown> = { ...status };
    let conditions = status.conditions as Condition[] | undefined;
    if (!target) {
      conditions = withCondition(
        conditions,
        {
          type: 'AbleToScale',
          status: 'False',
          reason: 'FailedGetScale',
          message: `the HPA controller was unable to get the target's current scale: deployments.apps "${spec.scaleTargetRef.name}" not found`,
        },
        now,
      );
    } else {
      const current = Number(specOf(target).replicas ?? 1);
      const min = spec.minReplicas ?? 1;
      const wanted = c.hpaRecommendations.get(`${ns}/${obj.metadata.name}`) ?? current;
      const desired = current === 0 ? 0 : Math.min(spec.maxReplicas, Math.max(min, wanted));
      if (desired !== current) {
        const scaled = cloneJson(target);
        specOf(scaled).replicas = desired;
        c.save(scaled);
        next.lastScaleTime = now;
      }
      next.currentReplicas = Number(statusOf(target).replicas ?? 0);
      next.desiredReplicas = desired;
      conditions = withCondition(
        conditions,
        {
          type: 'AbleToScale',
          status: 'True',
          reason: 'ReadyForNewScale',
          message: 'recommended size matches current size',
        },
        now,
      );
      const limited =
        wanted > spec.maxReplicas ? 'TooManyReplicas' : wanted < min ? 'TooFewReplicas' : undefined;
      conditions = withCondition(
        conditions,
        limited
          ? {
              type: 'ScalingLimited',
              status: 'True',
              reason: limited,
              message: `the desired replica count is ${limited === 'TooManyReplicas' ? 'more than the maximum' : 'less than the minimum'} replica count`,
            }
          : {
              type: 'ScalingLimited',
              status: 'False',
              reason: 'DesiredWithinRange',
              message: 'the desired count is within the acceptable range',
            },
        now,
      );
    }
    next.conditions = conditions;
    if (!equalJson(next, obj.status)) c.save({ ...obj, status: next });
  }
}

/** What a PodDisruptionBudget allows right now (the disruption controller's arithmetic). */
export interface BudgetState {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const pct = Number(value.replace('%', ''));
  return Math.ceil((pct * total) / 100);
}

/** The budget state of one PDB, from the pods it selects. */
export function computeBudget(c: KubeCluster, pdb: KubeObject): BudgetState {
  const parsed = pdbSchema.safeParse(pdb);
  const spec = parsed.success ? parsed.data.spec : {};
  const pods = c
    .list('Pod', pdb.metadata.namespace)
    .filter((p) => matchesSelector(p.metadata.labels, spec.selector));
  const expectedPods = pods.length;
  const currentHealthy = pods.filter(isPodReady).length;
  let desiredHealthy = 0;
  if (spec.minAvailable !== undefined) desiredHealthy = scaled(spec.minAvailable, expectedPods);
  else if (spec.maxUnavailable !== undefined)
    desiredHealthy = Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods));
  return {
    expectedPods,
    currentHealthy,
    desiredHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}

/** The PDBs whose selector matches a pod. */
export function budgetsFor(c: KubeCluster, pod: KubeObject): KubeObject[] {
  return c.list('PodDisruptionBudget', pod.metadata.namespace).filter((pdb) => {
    const parsed = pdbSchema.safeParse(pdb);
    return parsed.success && matchesSelector(pod.metadata.labels, parsed.data.spec.selector);
  });
}

/** PDB status as the disruption controller reports it. */
export function syncDisruptionBudgets(c: KubeCluster): void {
  const now = formatTime(c.clock.now());
  for (const pdb of c.list('PodDisruptionBudget')) {
    const state = computeBudget(c, pdb);
    const status = statusOf(pdb);
    const allowed = state.disruptionsAllowed > 0;
    const next = {
      observedGeneration: pdb.metadata.generation ?? 1,
      ...state,
      conditions: withCondition(
        status.conditions as Condition[] | undefined,
        {
          type: 'DisruptionAllowed',
          status: allowed ? 'True' : 'False',
          reason: allowed ? 'SufficientPods' : 'InsufficientPods',
          message: '',
          observedGeneration: pdb.metadata.generation ?? 1,
        },
        now,
      ),
    };
    if (!equalJson(next, status)) c.save({ ...pdb, status: next });
  }
}
