import { type KubeCluster, templateHash } from '../cluster.ts';
import { cloneJson, equalJson } from '../json.ts';
import { type Deployment, deploymentSchema, type PodTemplate } from '../shapes.ts';
import { formatTime, type KubeObject, type NewObject } from '../store.ts';
import {
  type Condition,
  controllerRef,
  isPodReady,
  ownedBy,
  specOf,
  statusOf,
  withCondition,
} from './util.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const HASH_LABEL = 'pod-template-hash';

/** The revision number a ReplicaSet carries (0 when unset). */
export function revisionOf(obj: KubeObject): number {
  return Number(obj.metadata.annotations?.[REVISION] ?? 0) || 0;
}

/** A ReplicaSet's pod template without the pod-template-hash label, to compare with a Deployment's. */
export function templateWithoutHash(rs: KubeObject): PodTemplate {
  const template = cloneJson((specOf(rs).template ?? {}) as PodTemplate);
  const labels = template.metadata?.labels;
  if (labels) delete labels[HASH_LABEL];
  return template;
}

/**
 * The rollout half of the deployment controller: find or create the ReplicaSet for the current
 * pod template (a new revision when the template changed, the old one re-numbered on rollback),
 * then move replicas from old ReplicaSets to it as its pods become ready.
 */
export function rollOutDeployments(c: KubeCluster): void {
  const allSets = c.list('ReplicaSet');
  const pods = c.list('Pod');
  for (const obj of c.list('Deployment')) {
    const parsed = deploymentSchema.safeParse(obj);
    if (!parsed.success || parsed.data.spec.paused) continue;
    const dep = parsed.data;
    const owned = ownedBy(allSets, obj);
    const maxRevision = Math.max(0, ...owned.map(revisionOf));
    let current = owned.find((rs) => equalJson(templateWithoutHash(rs), dep.spec.template));
    if (!current) {
      current = c.create('ReplicaSet', newReplicaSet(obj, dep, maxRevision + 1));
    } else if (revisionOf(current) < maxRevision) {
      current = c.save(renumber(current, maxRevision + 1));
    }
    const desired = dep.spec.replicas ?? 1;
    const target = current;
    syncReplicas(c, target, desired);
    const ready = ownedBy(pods, target).filter(isPodReady).length;
    let oldBudget = Math.max(0, desired - ready);
    const old = owned
      .filter((rs) => rs.metadata.uid !== target.metadata.uid)
      .sort((a, b) => revisionOf(b) - revisionOf(a));
    for (const rs of old) {
      const keep = Math.min(Number(specOf(rs).replicas ?? 0), oldBudget);
      oldBudget -= keep;
      syncReplicas(c, rs, keep);
    }
    pruneHistory(c, old, dep.spec.revisionHistoryLimit ?? 10);
    const annotations = { ...(obj.metadata.annotations ?? {}), [REVISION]: String(revisionOf(target)) };
    if (!equalJson(annotations, obj.metadata.annotations))
      c.save({ ...obj, metadata: { ...obj.metadata, annotations } });
  }
}

/**
 * The ReplicaSet a Deployment's rollout creates for its current template (with no replicas yet).
 * `hash` is the template's pod-template-hash; the seed passes the placement table's, so the pods
 * it binds carry the names the GPU exporter reports.
 */
export function newReplicaSet(
  owner: KubeObject,
  dep: Deployment,
  revision: number,
  hash = templateHash(dep.spec.template),
): NewObject {
  const template = cloneJson(dep.spec.template);
  template.metadata = {
    ...(template.metadata ?? {}),
    labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
  };
  const annotations: Record<string, string> = {
    [REVISION]: String(revision),
    'deployment.kubernetes.io/desired-replicas': String(dep.spec.replicas ?? 1),
  };
  const cause = owner.metadata.annotations?.[CHANGE_CAUSE];
  if (cause) annotations[CHANGE_CAUSE] = cause;
  return {
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace,
      labels: template.metadata.labels,
      annotations,
      ownerReferences: [controllerRef(owner)],
    },
    spec: {
      replicas: 0,
      selector: {
        ...dep.spec.selector,
        matchLabels: { ...(dep.spec.selector.matchLabels ?? {}), [HASH_LABEL]: hash },
      },
      template,
    },
  };
}

function renumber(rs: KubeObject, revision: number): KubeObject {
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  const history = [annotations[REVISION_HISTORY], annotations[REVISION]].filter(Boolean).join(',');
  annotations[REVISION] = String(revision);
  if (history) annotations[REVISION_HISTORY] = history;
  return { ...rs, metadata: { ...rs.metadata, annotations } };
}

function syncReplicas(c: KubeCluster, rs: KubeObject, replicas: number): void {
  if (specOf(rs).replicas === replicas) return;
  const next = cloneJson(rs);
  specOf(next).replicas = replicas;
  c.save(next);
}

function pruneHistory(c: KubeCluster, old: KubeObject[], limit: number): void {
  const idle = old.filter((rs) => Number(specOf(rs).replicas ?? 0) === 0);
  for (const rs of idle.slice(limit)) c.remove('ReplicaSet', rs.metadata.namespace, rs.metadata.name);
}

/** The status half of the deployment controller: replica counts and Available/Progressing conditions. */
export function updateDeploymentStatus(c: KubeCluster): void {
  const allSets = c.list('ReplicaSet');
  const pods = c.list('Pod');
  const now = formatTime(c.clock.now());
  for (const obj of c.list('Deployment')) {
    const spec = specOf(obj);
    const desired = Number(spec.replicas ?? 1);
    const owned = ownedBy(allSets, obj);
    const revision = obj.metadata.annotations?.[REVISION];
    const current = owned.find((rs) => rs.metadata.annotations?.[REVISION] === revision);
    const ownedPods = owned.flatMap((rs) => ownedBy(pods, rs));
    const updated = current ? ownedBy(pods, current).length : 0;
    const ready = ownedPods.filter(isPodReady).length;
    const status = statusOf(obj);
    const next: Record<string, unknown> = {
      observedGeneration: obj.metadata.generation ?? 1,
      replicas: ownedPods.length,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
    };
    if (desired - ready > 0) next.unavailableReplicas = desired - ready;
    const minAvailable = desired - Math.floor(desired * 0.25);
    let conditions = withCondition(
      status.conditions as Condition[] | undefined,
      ready >= minAvailable
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      now,
      true,
    );
    const rsName = current?.metadata.name ?? obj.metadata.name;
    const complete = updated === desired && ready === desired && ownedPods.length === desired;
    conditions = withCondition(
      conditions,
      complete
        ? {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${rsName}" has successfully progressed.`,
          }
        : {
            type: 'Progressing',
            status: 'True',
            reason: 'ReplicaSetUpdated',
            message: `ReplicaSet "${rsName}" is progressing.`,
          },
      now,
      true,
    );
    next.conditions = conditions;
    if (!equalJson(next, status)) c.save({ ...obj, status: next });
  }
}
