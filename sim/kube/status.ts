import { AppError } from '../../core/errors.ts';
import type { ResourceType } from './resources.ts';

/** One entry of `Status.details.causes` (meta/v1 StatusCause). */
export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

/** The meta/v1 `Status` body every API error (and a few successes) is answered with. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** An API failure that the server turns into a `Status` response with the given HTTP code. */
export class KubeApiError extends AppError {
  constructor(
    readonly status: StatusBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(`KUBE_${(status.reason ?? 'ERROR').toUpperCase()}`, status.message ?? 'Kubernetes API error');
  }
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: StatusBody['details'],
): KubeApiError {
  const head = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
  } as const;
  return new KubeApiError(details ? { ...head, details, code } : { ...head, code });
}

/** `deployments.apps` for grouped kinds, `nodes` for the core group. */
export function qualifiedName(rt: ResourceType): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

function ref(rt: ResourceType, name: string): StatusBody['details'] {
  return { name, group: rt.group, kind: rt.plural };
}

/** 404 for a named object that does not exist. */
export function notFound(rt: ResourceType, name: string): KubeApiError {
  return failure(404, 'NotFound', `${qualifiedName(rt)} "${name}" not found`, ref(rt, name));
}

/** 404 for a path the server does not serve. */
export function pathNotFound(): KubeApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** 409 for a write that carried a stale `metadata.resourceVersion`. */
export function conflict(rt: ResourceType, name: string): KubeApiError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(rt)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    ref(rt, name),
  );
}

/** 409 for a create of a name that is taken. */
export function alreadyExists(rt: ResourceType, name: string): KubeApiError {
  return failure(409, 'AlreadyExists', `${qualifiedName(rt)} "${name}" already exists`, ref(rt, name));
}

/** 422 with field causes, worded like the apiserver's aggregated validation error. */
export function invalid(
  groupKind: { group: string; kind: string },
  name: string,
  causes: StatusCause[],
): KubeApiError {
  const gk = groupKind.group ? `${groupKind.kind}.${groupKind.group}` : groupKind.kind;
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return failure(422, 'Invalid', `${gk} "${name}" is invalid: ${summary}`, {
    name,
    group: groupKind.group,
    kind: groupKind.kind,
    causes: causes.map((c) => ({
      reason: c.reason ?? 'FieldValueInvalid',
      message: c.message,
      field: c.field ?? '',
    })),
  });
}

/** 422 for a JSON patch that cannot be applied (e.g. a failed `test` op). */
export function patchRejected(detail: string): KubeApiError {
  return failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'FieldValueInvalid', message: detail }],
  });
}

/** 400 for a malformed request. */
export function badRequest(message: string): KubeApiError {
  return failure(400, 'BadRequest', message);
}

/** 405 for a verb the resource does not support. */
export function methodNotAllowed(): KubeApiError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** 415 for a body or patch content type the resource does not accept. */
export function unsupportedMediaType(accepted: string[]): KubeApiError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** 406 for a representation the server cannot produce (e.g. OpenAPI as protobuf). */
export function notAcceptable(supported: string[]): KubeApiError {
  return failure(
    406,
    'NotAcceptable',
    `only the following media types are accepted: ${supported.join(', ')}`,
  );
}

/** 429 for an eviction that would break a PodDisruptionBudget. */
export function disruptionBudgetExceeded(pdbMessage: string): KubeApiError {
  return failure(
    429,
    'TooManyRequests',
    "Cannot evict pod as it would violate the pod's disruption budget.",
    {
      causes: [{ reason: 'DisruptionBudget', message: pdbMessage }],
    },
  );
}

/** 500 for a state the real server also refuses to resolve. */
export function internalError(message: string): KubeApiError {
  return failure(500, 'InternalError', message);
}

/** A success `Status` (e.g. the answer to an eviction). */
export function successStatus(code: number): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}
