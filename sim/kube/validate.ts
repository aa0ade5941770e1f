import type { z } from 'zod';
import { equalJson } from './json.ts';
import type { ResourceType } from './resources.ts';
import { matchesSelector } from './selectors.ts';
import {
  configMapSchema,
  deploymentSchema,
  genericObjectSchema,
  hpaSchema,
  nodeSchema,
  pdbSchema,
  podSchema,
  replicaSetSchema,
  scaleSchema,
} from './shapes.ts';
import { invalid, type StatusCause } from './status.ts';
import type { KubeObject } from './store.ts';

const schemas: Record<string, z.ZodType> = {
  Deployment: deploymentSchema,
  ReplicaSet: replicaSetSchema,
  Pod: podSchema,
  Node: nodeSchema,
  HorizontalPodAutoscaler: hpaSchema,
  PodDisruptionBudget: pdbSchema,
  ConfigMap: configMapSchema,
  Scale: scaleSchema,
};

/**
 * Validate an object about to be written; throws a 422 `Invalid` Status with one cause per
 * problem. `previous` is the stored object on updates, for immutability rules.
 */
export function validateObject(
  groupKind: { group: string; kind: string },
  obj: KubeObject,
  previous?: KubeObject,
): void {
  const schema = schemas[groupKind.kind] ?? genericObjectSchema;
  const result = schema.safeParse(obj);
  const causes: StatusCause[] = result.success ? [] : result.error.issues.map((i) => toCause(obj, i));
  if (groupKind.kind === 'Deployment' || groupKind.kind === 'ReplicaSet')
    causes.push(...checkSelector(obj, previous));
  if (causes.length > 0) throw invalid(groupKind, obj.metadata?.name ?? '', causes);
}

/** Validate with the resource type's group and kind. */
export function validateResource(rt: ResourceType, obj: KubeObject, previous?: KubeObject): void {
  validateObject({ group: rt.group, kind: rt.kind }, obj, previous);
}

function toCause(obj: unknown, issue: z.core.$ZodIssue): StatusCause {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const field = path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    '',
  );
  const value = valueAt(obj, path);
  if (value === undefined) return { reason: 'FieldValueRequired', message: 'Required value', field };
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: ${issue.message}`,
    field,
  };
}

function valueAt(obj: unknown, path: (string | number)[]): unknown {
  let node = obj;
  for (const p of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[p];
  }
  return node;
}

type WithSelector = {
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> } };
  };
};

function checkSelector(obj: KubeObject, previous?: KubeObject): StatusCause[] {
  const spec = (obj as WithSelector).spec;
  const causes: StatusCause[] = [];
  if (spec?.selector && spec.template) {
    const labels = spec.template.metadata?.labels;
    if (!matchesSelector(labels, spec.selector) || Object.keys(spec.selector).length === 0) {
      causes.push({
        field: 'spec.template.metadata.labels',
        message: `Invalid value: ${JSON.stringify(labels ?? {})}: \`selector\` does not match template \`labels\``,
      });
    }
  }
  const before = (previous as WithSelector | undefined)?.spec?.selector;
  if (before && !equalJson(before, spec?.selector)) {
    causes.push({
      field: 'spec.selector',
      message: `Invalid value: ${JSON.stringify(spec?.selector ?? null)}: field is immutable`,
    });
  }
  return causes;
}
