import type { KubeCluster } from '../cluster.ts';
import { cloneJson, equalJson } from '../json.ts';
import { safeSuffix } from '../names.ts';
import type { PodSpec, PodTemplate } from '../shapes.ts';
import { formatTime, type KubeObject, type NewObject } from '../store.ts';
import { isJobPod } from './jobs.ts';
import { controllerRef, isPodReady, ownedBy, specOf, statusOf } from './util.ts';

const GPU = 'nvidia.com/gpu';

/** The replica set controller: create or delete pods until each ReplicaSet owns `spec.replicas`. */
export function syncReplicaSetPods(c: KubeCluster): void {
  const pods = c.list('Pod');
  for (const rs of c.list('ReplicaSet')) {
    const owned = ownedBy(pods, rs);
    const want = Number(specOf(rs).replicas ?? 1);
    for (let i = owned.length; i < want; i++) c.create('Pod', newPod(c, rs));
    if (owned.length > want) {
      // Delete the cheapest first: unscheduled, then not ready, then the newest.
      const rank = (p: KubeObject) => (specOf(p).nodeName ? (isPodReady(p) ? 2 : 1) : 0);
      const victims = [...owned].sort(
        (a, b) =>
          rank(a) - rank(b) ||
          (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
      );
      for (const p of victims.slice(0, owned.length - want))
        c.remove('Pod', p.metadata.namespace, p.metadata.name);
    }
  }
}

function newPod(c: KubeCluster, rs: KubeObject): NewObject {
  const template = cloneJson((specOf(rs).template ?? {}) as PodTemplate);
  return {
    metadata: {
      name: `${rs.metadata.name}-${safeSuffix(`${rs.metadata.name}/${c.nextNumber()}`, 5)}`,
      namespace: rs.metadata.namespace,
      labels: template.metadata?.labels ?? {},
      annotations: template.metadata?.annotations ?? {},
      ownerReferences: [controllerRef(rs)],
    },
    spec: template.spec,
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

function gpuRequest(spec: PodSpec): number {
  return spec.containers.reduce(
    (sum, ct) => sum + Number(ct.resources?.limits?.[GPU] ?? ct.resources?.requests?.[GPU] ?? 0),
    0,
  );
}

/**
 * The scheduler: bind each unscheduled pod to the schedulable, Ready node with the fewest pods
 * that matches its nodeSelector and has GPUs to spare; pods that fit nowhere stay Pending.
 */
export function schedulePods(c: KubeCluster): void {
  const nodes = c.list('Node');
  const pods = c.list('Pod');
  const now = formatTime(c.clock.now());
  for (const pod of pods) {
    const spec = specOf(pod) as PodSpec;
    if (spec.nodeName) continue;
    const fits = nodes.filter((n) => {
      const nodeSpec = specOf(n);
      const ready = ((statusOf(n).conditions ?? []) as { type: string; status: string }[]).some(
        (cond) => cond.type === 'Ready' && cond.status === 'True',
      );
      const labels = n.metadata.labels ?? {};
      const selected = Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
      const onNode = pods.filter((p) => specOf(p).nodeName === n.metadata.name);
      const gpus = Number((statusOf(n).allocatable as Record<string, string> | undefined)?.[GPU] ?? 0);
      const used = onNode.reduce((sum, p) => sum + gpuRequest(specOf(p) as PodSpec), 0);
      return !nodeSpec.unschedulable && ready && selected && used + gpuRequest(spec) <= gpus;
    });
    const count = (n: KubeObject) => pods.filter((p) => specOf(p).nodeName === n.metadata.name).length;
    const chosen = fits.sort(
      (a, b) => count(a) - count(b) || a.metadata.name.localeCompare(b.metadata.name),
    )[0];
    const next = cloneJson(pod);
    if (chosen) {
      specOf(next).nodeName = chosen.metadata.name;
      specOf(pod).nodeName = chosen.metadata.name;
      statusOf(next).startTime = now;
      statusOf(next).conditions = [{ type: 'PodScheduled', status: 'True', lastTransitionTime: now }];
    } else {
      statusOf(next).conditions = [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: `0/${nodes.length} nodes are available: no node is schedulable with enough ${GPU} for this pod.`,
        },
      ];
    }
    if (!equalJson(next, pod)) c.save(next);
  }
}

/** The kubelet: a bound pod becomes Running and Ready `podReadyDelayMs` after it was scheduled. */
export function updatePodStatus(c: KubeCluster): void {
  const nodes = new Map(c.list('Node').map((n) => [n.metadata.name, n]));
  for (const pod of c.list('Pod')) {
    const spec = specOf(pod) as PodSpec;
    const status = statusOf(pod);
    if (!spec.nodeName || typeof status.startTime !== 'string' || isJobPod(pod)) continue;
    const readyAtMs = Date.parse(status.startTime) + c.podReadyDelayMs;
    const ready = c.clock.now() >= readyAtMs;
    if (!ready) c.wakeAt(readyAtMs);
    const started = status.startTime;
    const readyAt = formatTime(readyAtMs);
    const hostIP = (
      statusOf(nodes.get(spec.nodeName) ?? pod).addresses as { address: string }[] | undefined
    )?.[0]?.address;
    const flag = ready ? 'True' : 'False';
    const next: Record<string, unknown> = {
      ...status,
      phase: ready ? 'Running' : 'Pending',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: started },
        { type: 'Ready', status: flag, lastTransitionTime: ready ? readyAt : started },
        { type: 'ContainersReady', status: flag, lastTransitionTime: ready ? readyAt : started },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: started },
      ],
      hostIP: hostIP ?? '10.224.0.4',
      podIP: typeof status.podIP === 'string' ? status.podIP : podIp(c.nextNumber()),
      containerStatuses: spec.containers.map((ct) => ({
        name: ct.name,
        image: ct.image,
        imageID: '',
        ready,
        restartCount: 0,
        started: ready,
        state: ready ? { running: { startedAt: readyAt } } : { waiting: { reason: 'ContainerCreating' } },
      })),
    };
    if (!equalJson(next, status)) c.save({ ...pod, status: next });
  }
}

function podIp(n: number): string {
  return `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
}

/** ReplicaSet status: replica counts from the pods it owns. */
export function updateReplicaSetStatus(c: KubeCluster): void {
  const pods = c.list('Pod');
  for (const rs of c.list('ReplicaSet')) {
    const owned = ownedBy(pods, rs);
    const ready = owned.filter(isPodReady).length;
    const next: Record<string, unknown> = {
      replicas: owned.length,
      fullyLabeledReplicas: owned.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (!equalJson(next, rs.status)) c.save({ ...rs, status: next });
  }
}
