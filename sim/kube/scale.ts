import type { KubeCluster } from './cluster.ts';
import type { Target } from './crud.ts';
import { type ApiRequest, type ApiResponse, ok, readDryRun, readJsonBody } from './http.ts';
import type { Json } from './json.ts';
import { applyPatch } from './patch.ts';
import { formatSelector } from './selectors.ts';
import type { LabelSelector } from './shapes.ts';
import { badRequest, conflict, methodNotAllowed } from './status.ts';
import type { KubeObject } from './store.ts';
import { validateObject } from './validate.ts';

type Loose = Record<string, unknown>;

/** The autoscaling/v1 Scale view of a scalable object. */
export function toScale(obj: KubeObject) {
  const spec = (obj.spec ?? {}) as Loose;
  const status = (obj.status ?? {}) as Loose;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: Number(spec.replicas ?? 1) },
    status: {
      replicas: Number(status.replicas ?? 0),
      selector: formatSelector(spec.selector as LabelSelector | undefined),
    },
  };
}

/**
 * The `/scale` subresource: GET the Scale; PUT or PATCH it to change `spec.replicas` of the
 * parent. A resourceVersion in the Scale must match the parent's (409 otherwise).
 */
export function handleScale(req: ApiRequest, t: Target): ApiResponse {
  const { store } = req.cluster;
  const name = t.name ?? '';
  const current = store.get(t.rt, t.namespace, name);
  if (req.method === 'GET') return ok(toScale(current));
  let desired: KubeObject;
  let dryRun: boolean;
  if (req.method === 'PUT') {
    dryRun = readDryRun(req, 'UpdateOptions');
    desired = readJsonBody(req) as KubeObject;
  } else if (req.method === 'PATCH') {
    dryRun = readDryRun(req, 'PatchOptions');
    desired = applyPatch(
      t.rt,
      req.headers['content-type'],
      toScale(current) as unknown as Json,
      req.body,
    ) as unknown as KubeObject;
  } else {
    throw methodNotAllowed();
  }
  if (desired?.metadata?.name !== name) {
    throw badRequest(
      `the name of the object (${String(desired?.metadata?.name)}) does not match the name on the URL (${name})`,
    );
  }
  validateObject({ group: 'autoscaling', kind: 'Scale' }, desired);
  const sent = desired.metadata.resourceVersion;
  if (sent && sent !== current.metadata.resourceVersion) throw conflict(t.rt, name);
  const replicas = ((desired.spec ?? {}) as Loose).replicas;
  return ok(toScale(scaleTo(req.cluster, t, current, Number(replicas ?? 1), dryRun)));
}

function scaleTo(
  c: KubeCluster,
  t: Target,
  current: KubeObject,
  replicas: number,
  dryRun: boolean,
): KubeObject {
  const next = { ...current, spec: { ...((current.spec ?? {}) as Loose), replicas } };
  return c.store.update(t.rt, next, { dryRun, keepStatus: true });
}
