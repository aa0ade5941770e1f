import { handleCollection, handleObject, type Target } from './crud.ts';
import { apiGroup, coreVersions, groupList, resourceList, serverVersion } from './discovery.ts';
import { handleEviction } from './eviction.ts';
import { isHpaV1, serveHpaV1 } from './hpa-v1.ts';
import { type ApiRequest, type ApiResponse, ok } from './http.ts';
import { serveOpenApi } from './openapi/serve.ts';
import { findResourceType } from './resources.ts';
import { handleScale } from './scale.ts';
import { methodNotAllowed, pathNotFound } from './status.ts';

/** Take a resource path (`namespaces/ml/deployments/llm-api/scale`) apart; undefined if not served. */
export function parseTarget(group: string, version: string, rest: string[]): Target | undefined {
  let namespace: string | undefined;
  let parts = rest;
  const [first, second, third] = rest;
  if (first === 'namespaces' && second && third && third !== 'status' && third !== 'finalize') {
    namespace = second;
    parts = rest.slice(2);
  }
  const [plural, name, subresource, extra] = parts;
  const rt = plural ? findResourceType(group, version, plural) : undefined;
  if (!rt || extra !== undefined) return undefined;
  if (rt.namespaced && !namespace && name !== undefined) return undefined;
  if (!rt.namespaced && namespace) return undefined;
  if (subresource && !rt.subresources.includes(subresource)) return undefined;
  return { rt, namespace, name, subresource };
}

function discovery(req: ApiRequest, segments: string[]): ApiResponse | undefined {
  const path = segments.join('/');
  if (path === 'version') return ok(serverVersion);
  if (path === 'healthz' || path === 'readyz' || path === 'livez') return ok('ok');
  if (path === 'api') return ok(coreVersions(String(req.headers.host ?? '127.0.0.1')));
  if (path === 'apis') return ok(groupList());
  if (segments[0] === 'openapi') return serveOpenApi(req, segments.slice(1));
  if (path === 'api/v1') return ok(resourceList('', 'v1'));
  const [root, group, version, ...rest] = segments;
  if (root === 'apis' && group && !version) {
    const g = apiGroup(group);
    return g ? ok(g) : undefined;
  }
  if (root === 'apis' && group && version && rest.length === 0) {
    const list = resourceList(group, version);
    return list ? ok(list) : undefined;
  }
  return undefined;
}

/** Route one request to discovery or a resource handler; every failure is a Status (thrown). */
export function route(req: ApiRequest): ApiResponse {
  const segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  if (req.method === 'GET') {
    const answer = discovery(req, segments);
    if (answer) return answer;
  }
  const [root, ...more] = segments;
  let target: Target | undefined;
  if (root === 'api' && more[0] === 'v1') target = parseTarget('', 'v1', more.slice(1));
  if (root === 'apis' && more.length >= 3) target = parseTarget(more[0] ?? '', more[1] ?? '', more.slice(2));
  if (!target) throw pathNotFound();
  const watch = req.query.get('watch');
  if (watch === 'true' || watch === '1') {
    if (req.method !== 'GET' || target.subresource) throw methodNotAllowed();
    return { status: 200, body: undefined, watch: target };
  }
  if (isHpaV1(target.rt)) {
    const t = target;
    return serveHpaV1(
      req,
      (r, rt) => (t.name === undefined ? handleCollection(r, { ...t, rt }) : handleObject(r, { ...t, rt })),
      () => req.cluster.store.get(t.rt, t.namespace, t.name ?? ''),
    );
  }
  if (target.subresource === 'scale') return handleScale(req, target);
  if (target.subresource === 'eviction') return handleEviction(req, target);
  return target.name === undefined ? handleCollection(req, target) : handleObject(req, target);
}
