import { checkFields, checkPatchFields } from './field-validation.ts';
import { type ApiRequest, type ApiResponse, ok, readDryRun, readJsonBody, wantsTable } from './http.ts';
import { type Json, pruneNulls } from './json.ts';
import { applyPatch } from './patch.ts';
import { groupVersion, type ResourceType, resourceTypeOf } from './resources.ts';
import { matchesLabelQuery, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { badRequest, methodNotAllowed, notFound } from './status.ts';
import type { KubeObject } from './store.ts';
import { toTable } from './table.ts';
import { validateResource } from './validate.ts';

/** A resource URL taken apart. */
export interface Target {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** List items carry no kind/apiVersion of their own, as in the real API. */
function asListItem(obj: KubeObject): Record<string, unknown> {
  const { kind: _k, apiVersion: _a, ...rest } = obj;
  return rest;
}

/** GET (list) or POST (create) on a collection. */
export function handleCollection(req: ApiRequest, t: Target): ApiResponse {
  const { store } = req.cluster;
  if (req.method === 'GET') {
    const labels = parseLabelSelector(req.query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(req.query.get('fieldSelector') ?? '');
    const items = store
      .list(t.rt, t.namespace)
      .filter((o) => matchesLabelQuery(o.metadata.labels, labels) && fields(o));
    if (wantsTable(req)) {
      return ok(
        toTable(t.rt, items, req.cluster.clock.now(), req.query.get('includeObject'), store.resourceVersion),
      );
    }
    return ok({
      kind: `${t.rt.kind}List`,
      apiVersion: groupVersion(t.rt),
      metadata: { resourceVersion: store.resourceVersion },
      items: items.map(asListItem),
    });
  }
  if (req.method !== 'POST') throw methodNotAllowed();
  const dryRun = readDryRun(req, 'CreateOptions');
  const body = readJsonBody(req) as KubeObject;
  const metadata = (body.metadata ?? {}) as KubeObject['metadata'];
  if (t.rt.namespaced) {
    if (metadata.namespace && metadata.namespace !== t.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    metadata.namespace = t.namespace;
    if (!store.find(resourceTypeOf('Namespace'), undefined, t.namespace ?? '')) {
      throw notFound(resourceTypeOf('Namespace'), t.namespace ?? '');
    }
  }
  const warnings = checkFields(req, t.rt, body);
  const obj = pruneNulls({ ...body, metadata });
  validateResource(t.rt, obj);
  return { ...ok(store.create(t.rt, obj, { dryRun }), 201), warnings };
}

/** GET, PUT, PATCH or DELETE on one object (or its `status` subresource). */
export function handleObject(req: ApiRequest, t: Target): ApiResponse {
  const { store } = req.cluster;
  const name = t.name ?? '';
  const current = store.get(t.rt, t.namespace, name);
  const statusOnly = t.subresource === 'status';
  if (req.method === 'GET') {
    if (wantsTable(req)) {
      return ok(
        toTable(
          t.rt,
          [current],
          req.cluster.clock.now(),
          req.query.get('includeObject'),
          store.resourceVersion,
        ),
      );
    }
    return ok(current);
  }
  if (req.method === 'DELETE') {
    if (statusOnly) throw methodNotAllowed();
    return ok(store.delete(t.rt, t.namespace, name, { dryRun: readDryRun(req, 'DeleteOptions') }));
  }
  let next: KubeObject;
  let dryRun: boolean;
  let warnings: string[];
  if (req.method === 'PUT') {
    dryRun = readDryRun(req, 'UpdateOptions');
    next = readJsonBody(req) as KubeObject;
    warnings = checkFields(req, t.rt, next);
  } else if (req.method === 'PATCH') {
    dryRun = readDryRun(req, 'PatchOptions');
    warnings = checkPatchFields(req, t.rt);
    next = applyPatch(
      t.rt,
      req.headers['content-type'],
      current as unknown as Json,
      req.body,
    ) as unknown as KubeObject;
  } else {
    throw methodNotAllowed();
  }
  if (
    typeof next !== 'object' ||
    next === null ||
    typeof next.metadata !== 'object' ||
    next.metadata === null
  ) {
    throw badRequest('the object has no metadata');
  }
  if (next.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  if (t.rt.namespaced) {
    if (next.metadata.namespace && next.metadata.namespace !== t.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    next.metadata.namespace = t.namespace;
  }
  if (statusOnly) {
    // The status subresource changes status only; everything else comes from the stored object.
    next = {
      ...current,
      status: next.status,
      metadata: { ...current.metadata, resourceVersion: next.metadata.resourceVersion },
    };
  }
  next = pruneNulls(next);
  validateResource(t.rt, next, current);
  return { ...ok(store.update(t.rt, next, { dryRun, keepStatus: t.rt.hasStatus && !statusOnly })), warnings };
}
