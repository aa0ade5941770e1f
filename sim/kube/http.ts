import type { IncomingHttpHeaders } from 'node:http';
import type { KubeCluster } from './cluster.ts';
import type { Target } from './crud.ts';
import { badRequest, invalid, unsupportedMediaType } from './status.ts';

/** A parsed request as the handlers see it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes, for the one protobuf body the server reads (sim/kube/protobuf-hpa.ts). */
  raw?: Buffer;
  cluster: KubeCluster;
}

/** What a handler answers; the server serialises `body` as JSON, or streams a watch. */
export interface ApiResponse {
  status: number;
  body: unknown;
  /** Set for `?watch=true`: the server streams events for this target instead of a body. */
  watch?: Target;
  /** Sent as `Warning: 299 - "…"` headers (e.g. unknown fields under fieldValidation=Warn). */
  warnings?: string[];
}

/** The answer to a request: 200 by default. */
export function ok(body: unknown, status = 200): ApiResponse {
  return { status, body };
}

/**
 * `?dryRun=All` → true, absent → false. Any other value is rejected the way the apiserver's
 * options validation does (422 Invalid on the `…Options` kind).
 */
export function readDryRun(req: ApiRequest, optionsKind: string): boolean {
  const values = req.query.getAll('dryRun');
  if (values.length === 0) return false;
  const bad = values.filter((v) => v !== 'All');
  if (bad.length > 0) {
    throw invalid({ group: 'meta.k8s.io', kind: optionsKind }, '', [
      {
        reason: 'FieldValueNotSupported',
        field: 'dryRun',
        message: `Unsupported value: []string{${values.map((v) => JSON.stringify(v)).join(', ')}}: supported values: "All"`,
      },
    ]);
  }
  return true;
}

/** The JSON body of a create or update; 415 for a non-JSON content type, 400 for bad JSON. */
export function readJsonBody(req: ApiRequest): Record<string, unknown> {
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && type !== '*/*') {
    throw unsupportedMediaType([
      'application/json',
      'application/yaml',
      'application/vnd.kubernetes.protobuf',
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch (err) {
    throw badRequest(`the body of the request could not be decoded: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('the body of the request must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** True when the client asked for a meta.k8s.io Table (kubectl get's human output). */
export function wantsTable(req: ApiRequest): boolean {
  const accept = String(req.headers.accept ?? '');
  return accept.split(',').some((part) => part.includes('as=Table') && part.includes('g=meta.k8s.io'));
}
