import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../canonical-json.ts';

/** A Kubernetes (or ARM) object a plan reads and will change, at the version it read. */
export const targetRef = z.object({
  kind: z.string(),
  namespace: z.string().nullable(),
  name: z.string(),
  resourceVersion: z.string(),
});
export type TargetRef = z.infer<typeof targetRef>;

const jsonRecord = z.record(z.string(), z.unknown());

/** How to undo a plan: itself a proposal of another (or the same) action with these params. */
export const rollbackPlan = z.object({
  description: z.string(),
  action: z.string().nullable(),
  params: jsonRecord,
});
export type RollbackPlan = z.infer<typeof rollbackPlan>;

/**
 * What an action will do, shown to approvers before anything changes: current → desired, a
 * human-readable diff, the exact targets (with resource versions) and the rollback. An approval
 * binds the hash of this object, so any change to the target yields a different plan.
 */
export const plan = z.object({
  actionId: z.string(),
  params: jsonRecord,
  summary: z.string(),
  targets: z.array(targetRef).min(1),
  current: jsonRecord,
  desired: jsonRecord,
  diff: z.array(z.string()).min(1),
  rollback: rollbackPlan,
  /** Things the approver should know (e.g. pods a drain cannot evict). */
  notes: z.array(z.string()).default([]),
});
export type Plan = z.infer<typeof plan>;
export type PlanInput = z.input<typeof plan>;

/** SHA-256 (hex) of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash an approval binds: the whole plan, resource versions included. */
export function hashPlan(p: Plan): string {
  return sha256(canonicalJson(p));
}

/** The resource versions a plan read, `kind/namespace/name → version`. */
export function resourceVersionsOf(p: Plan): Record<string, string> {
  return Object.fromEntries(
    p.targets.map((t) => [`${t.kind}/${t.namespace ?? ''}/${t.name}`, t.resourceVersion]),
  );
}
