import type { KubeObject } from '../store.ts';

/** A status condition as controllers write it. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  [key: string]: unknown;
}

/** The uid of an object's controlling owner, if any. */
export function controllerUid(obj: KubeObject): string | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

/** The objects whose controller is `owner`. */
export function ownedBy(objects: KubeObject[], owner: KubeObject): KubeObject[] {
  return objects.filter((o) => controllerUid(o) === owner.metadata.uid);
}

/** An owner reference that makes `owner` the controller of a new object. */
export function controllerRef(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The object's status as a loose record (created when missing). */
export function statusOf(obj: KubeObject): Record<string, unknown> {
  if (typeof obj.status !== 'object' || obj.status === null) obj.status = {};
  return obj.status as Record<string, unknown>;
}

/** The object's spec as a loose record (created when missing). */
export function specOf(obj: KubeObject): Record<string, unknown> {
  if (typeof obj.spec !== 'object' || obj.spec === null) obj.spec = {};
  return obj.spec as Record<string, unknown>;
}

/** True for a pod whose Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  const conditions = (statusOf(pod).conditions ?? []) as Condition[];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * Conditions with one of them set; times move only when status, reason or message change, so a
 * settled object is not rewritten on every tick.
 */
export function withCondition(
  conditions: Condition[] | undefined,
  next: Condition,
  now: string,
  trackUpdates = false,
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const prev = index >= 0 ? list[index] : undefined;
  const merged: Condition = { ...next };
  const same =
    prev && prev.status === next.status && prev.reason === next.reason && prev.message === next.message;
  if (trackUpdates) merged.lastUpdateTime = same ? prev?.lastUpdateTime : now;
  merged.lastTransitionTime = prev && prev.status === next.status ? prev.lastTransitionTime : now;
  if (index >= 0) list[index] = merged;
  else list.push(merged);
  return list;
}
