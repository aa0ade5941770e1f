import { checkFields, checkPatchFields } from './field-validation.ts';
import { type ApiRequest, type ApiResponse, readJsonBody } from './http.ts';
import type { Json } from './json.ts';
import { applyPatch } from './patch.ts';
import { decodeHpaV1Protobuf } from './protobuf-hpa.ts';
import { findResourceType, type ResourceType } from './resources.ts';
import type { KubeObject } from './store.ts';

/**
 * `autoscaling/v1` HorizontalPodAutoscalers (what `kubectl autoscale` creates) over the objects the
 * server stores as `autoscaling/v2`, converted both ways as the real API server does: v1's
 * `targetCPUUtilizationPercentage` is v2's CPU `Utilization` resource metric, and v1's
 * `currentCPUUtilizationPercentage` its current value. Other v2 metrics have no v1 form and are
 * dropped from the v1 view (the real server keeps them in an annotation; nothing here reads it).
 */

type Obj = Record<string, unknown>;

const V1 = () => findResourceType('autoscaling', 'v1', 'horizontalpodautoscalers')!;
const V2 = () => findResourceType('autoscaling', 'v2', 'horizontalpodautoscalers')!;

function cpuTarget(metrics: unknown): number | undefined {
  for (const m of (metrics ?? []) as Obj[]) {
    const r = m.resource as
      | { name?: string; target?: { type?: string; averageUtilization?: number } }
      | undefined;
    if (m.type === 'Resource' && r?.name === 'cpu' && r.target?.type === 'Utilization')
      return r.target.averageUtilization;
  }
  return undefined;
}

/** A stored v2 HPA as v1 shows it. */
export function hpaToV1(obj: Obj): Obj {
  const spec = { ...((obj.spec ?? {}) as Obj) };
  const cpu = cpuTarget(spec.metrics);
  delete spec.metrics;
  delete spec.behavior;
  const status = { ...((obj.status ?? {}) as Obj) };
  const current = cpuTarget(
    ((status.currentMetrics ?? []) as Obj[]).map((m) => ({
      ...m,
      resource: {
        ...(m.resource as Obj),
        target: {
          type: 'Utilization',
          averageUtilization: (m.resource as { current?: { averageUtilization?: number } })?.current
            ?.averageUtilization,
        },
      },
    })),
  );
  delete status.currentMetrics;
  delete status.conditions;
  return {
    ...obj,
    apiVersion: 'autoscaling/v1',
    spec: { ...spec, ...(cpu === undefined ? {} : { targetCPUUtilizationPercentage: cpu }) },
    ...(obj.status === undefined
      ? {}
      : {
          status: {
            ...status,
            ...(current === undefined ? {} : { currentCPUUtilizationPercentage: current }),
          },
        }),
  };
}

/** A v1 HPA as the server stores it (v2). */
export function hpaToV2(obj: Obj): Obj {
  const { targetCPUUtilizationPercentage: cpu, ...spec } = (obj.spec ?? {}) as Obj;
  const metrics =
    typeof cpu === 'number'
      ? [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } },
          },
        ]
      : undefined;
  return {
    ...obj,
    apiVersion: 'autoscaling/v2',
    spec: { ...spec, ...(metrics ? { metrics } : {}) },
  };
}

function convertBody(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const b = body as Obj;
  if (b.kind === 'HorizontalPodAutoscaler') return hpaToV1(b);
  if (b.kind === 'HorizontalPodAutoscalerList')
    return { ...b, apiVersion: 'autoscaling/v1', items: (b.items as Obj[]).map(hpaToV1) };
  return body;
}

/** Whether a resource type is served by converting to another version. */
export function isHpaV1(rt: ResourceType): boolean {
  return rt.group === 'autoscaling' && rt.version === 'v1' && rt.plural === 'horizontalpodautoscalers';
}

/**
 * Serves a v1 request through the v2 handler: the body is converted to v2 before (a PATCH is
 * applied to the v1 view of the stored object, then sent on as the whole converted object), the
 * answer back to v1 after.
 */
export function serveHpaV1(
  req: ApiRequest,
  handle: (req: ApiRequest, rt: ResourceType) => ApiResponse,
  current: () => KubeObject,
): ApiResponse {
  let next = req;
  let warnings: string[] = [];
  if (req.method === 'POST' || req.method === 'PUT') {
    const protobuf = String(req.headers['content-type'] ?? '').startsWith(
      'application/vnd.kubernetes.protobuf',
    );
    const body = protobuf && req.raw ? decodeHpaV1Protobuf(req.raw) : readJsonBody(req);
    // The v1 body is checked against the v1 schema before it is converted (and its extras lost).
    warnings = checkFields(req, V1(), body);
    next = {
      ...req,
      headers: { ...req.headers, 'content-type': 'application/json' },
      body: JSON.stringify(hpaToV2(body)),
    };
  }
  if (req.method === 'PATCH') {
    warnings = checkPatchFields(req, V1());
    const v1 = hpaToV1(current() as unknown as Obj);
    const patched = applyPatch(V2(), req.headers['content-type'], v1 as Json, req.body) as Obj;
    next = {
      ...req,
      method: 'PUT',
      headers: { ...req.headers, 'content-type': 'application/json' },
      body: JSON.stringify(hpaToV2(patched)),
    };
  }
  const answer = handle(next, V2());
  return { ...answer, body: convertBody(answer.body), warnings: [...warnings, ...(answer.warnings ?? [])] };
}
