import { type ApiRequest, type ApiResponse, ok } from '../http.ts';
import { notAcceptable, pathNotFound } from '../status.ts';
import { groupVersionDocument, openApiRoot } from './documents.ts';

/** True when the Accept header allows JSON (absent, `*\/*`, `application/*` or `application/json`). */
function acceptsJson(req: ApiRequest): boolean {
  const accept = String(req.headers.accept ?? '').trim();
  if (!accept) return true;
  return accept
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase())
    .some((type) => type === '*/*' || type === 'application/*' || type === 'application/json');
}

/**
 * `/openapi/v3` and `/openapi/v3/{api/v1 | apis/group/version}` as JSON. Protobuf is not
 * produced: 406. `/openapi/v2` is not served (404), so kubectl uses v3 and never falls back.
 */
export function serveOpenApi(req: ApiRequest, segments: string[]): ApiResponse {
  const [version, ...rest] = segments;
  if (version !== 'v3') throw pathNotFound();
  const body = rest.length === 0 ? openApiRoot() : groupVersionDocument(rest.join('/'));
  if (!body) throw pathNotFound();
  if (!acceptsJson(req)) throw notAcceptable(['application/json']);
  return ok(body);
}
