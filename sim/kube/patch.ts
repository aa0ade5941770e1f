import type { Json } from './json.ts';
import { applyJsonPatch } from './patch-json.ts';
import { applyMergePatch, applyStrategicMergePatch } from './patch-merge.ts';
import type { ResourceType } from './resources.ts';
import { badRequest, unsupportedMediaType } from './status.ts';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** The PATCH media types a resource accepts (server-side apply is not simulated). */
export function acceptedPatchTypes(rt: ResourceType): string[] {
  return rt.custom ? [JSON_PATCH, MERGE_PATCH] : [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH];
}

/**
 * Apply a PATCH body of the given content type to the current object. 415 for a media type the
 * resource does not accept (strategic merge on a custom resource included), 400 for bad JSON.
 */
export function applyPatch(
  rt: ResourceType,
  contentType: string | undefined,
  current: Json,
  body: string,
): Json {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const accepted = acceptedPatchTypes(rt);
  if (!accepted.includes(type)) throw unsupportedMediaType(accepted);
  let patch: Json;
  try {
    patch = JSON.parse(body) as Json;
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
  if (type === JSON_PATCH) return applyJsonPatch(current, patch);
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  }
  return type === MERGE_PATCH ? applyMergePatch(current, patch) : applyStrategicMergePatch(current, patch);
}
