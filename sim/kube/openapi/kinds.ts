import { hpaV1Kind, hpaV2Kind, pdbKind } from './autoscaling.ts';
import { configMapKind, eventKind, namespaceKind, nodeKind } from './cluster.ts';
import { inferenceServiceKind, pytorchJobKind } from './custom.ts';
import { podKind } from './pods.ts';
import type { OpenApiSchema } from './schema.ts';
import { deploymentKind, jobKind, replicaSetKind } from './workloads.ts';

/** Every kind's schema; each carries its group/version/kind in `x-kubernetes-group-version-kind`. */
export const kindSchemas: OpenApiSchema[] = [
  namespaceKind,
  nodeKind,
  podKind,
  configMapKind,
  eventKind,
  deploymentKind,
  replicaSetKind,
  hpaV2Kind,
  jobKind,
  hpaV1Kind,
  pdbKind,
  inferenceServiceKind,
  pytorchJobKind,
];

/** The schema of one served kind, or undefined (e.g. a kind the simulator stores without one). */
export function schemaFor(group: string, version: string, kind: string): OpenApiSchema | undefined {
  return kindSchemas.find((s) =>
    s['x-kubernetes-group-version-kind']?.some(
      (g) => g.group === group && g.version === version && g.kind === kind,
    ),
  );
}

/** The component name a kind's schema is published under, e.g. `sim.apps.v1.Deployment`. */
export function componentName(group: string, version: string, kind: string): string {
  return `sim.${group || 'core'}.${version}.${kind}`;
}
