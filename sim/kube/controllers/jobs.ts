import type { KubeCluster } from '../cluster.ts';
import { cloneJson, equalJson } from '../json.ts';
import type { PodTemplate } from '../shapes.ts';
import { formatTime, type KubeObject } from '../store.ts';
import { controllerRef, ownedBy, specOf, statusOf } from './util.ts';

/** Whether a pod belongs to a Job (its completion is the job controller's, not the kubelet's). */
export function isJobPod(pod: KubeObject): boolean {
  return pod.metadata.ownerReferences?.some((r) => r.controller && r.kind === 'Job') ?? false;
}

/**
 * The job controller and the kubelet for Job pods: each Job gets one pod from its template; a pod
 * bound to a Ready node runs for `jobRunMs` and then succeeds (a pod pinned to a node that
 * is not Ready fails), and the Job records the outcome as `Complete` or `Failed`, like
 * `backoffLimit: 0`. The simulated node has no GPUs to reset: what the container would run is
 * not interpreted, only that it ran where it was pinned.
 */
export function syncJobs(c: KubeCluster): void {
  const pods = c.list('Pod');
  const nodes = new Map(c.list('Node').map((n) => [n.metadata.name, n]));
  const now = c.clock.now();
  for (const job of c.list('Job')) {
    const status = statusOf(job);
    if (status.succeeded || status.failed) continue;
    const [pod] = ownedBy(pods, job);
    if (!pod) {
      const template = cloneJson((specOf(job).template ?? {}) as PodTemplate);
      const node = template.spec?.nodeName;
      c.create('Pod', {
        metadata: {
          name: `${job.metadata.name}-${String(c.nextNumber()).padStart(5, '0')}`.slice(0, 63),
          namespace: job.metadata.namespace,
          labels: { ...(template.metadata?.labels ?? {}), 'job-name': job.metadata.name },
          ownerReferences: [controllerRef(job)],
        },
        spec: template.spec,
        status: node ? { phase: 'Running', startTime: formatTime(now) } : { phase: 'Pending' },
      });
      c.save({ ...job, status: { ...status, active: 1, startTime: formatTime(now) } });
      continue;
    }
    const node = nodes.get(String(specOf(pod).nodeName ?? ''));
    const started = Date.parse(String(statusOf(pod).startTime ?? ''));
    if (!Number.isFinite(started)) continue;
    if (now < started + c.jobRunMs) {
      c.wakeAt(started + c.jobRunMs);
      continue;
    }
    const ready = ((statusOf(node ?? pod).conditions ?? []) as { type: string; status: string }[]).some(
      (cond) => cond.type === 'Ready' && cond.status === 'True',
    );
    const phase = node && ready ? 'Succeeded' : 'Failed';
    const at = formatTime(started + c.jobRunMs);
    const podStatus = { ...statusOf(pod), phase };
    if (!equalJson(podStatus, pod.status)) c.save({ ...pod, status: podStatus });
    const type = phase === 'Succeeded' ? 'Complete' : 'Failed';
    c.save({
      ...job,
      status: {
        ...status,
        active: 0,
        [phase === 'Succeeded' ? 'succeeded' : 'failed']: 1,
        ...(phase === 'Succeeded' ? { completionTime: at } : {}),
        conditions: [
          {
            type,
            status: 'True',
            lastTransitionTime: at,
            ...(phase === 'Failed'
              ? { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }
              : {}),
          },
        ],
      },
    });
  }
}
