import type { KubeCluster } from '../cluster.ts';
import { resourceTypes } from '../resources.ts';

/**
 * The garbage collector: an object whose owners are all gone is deleted (background cascading
 * deletion), so deleting a Deployment removes its ReplicaSets and, on the next pass, their pods.
 * Objects without owner references are never touched.
 */
export function collectGarbage(c: KubeCluster): void {
  const kinds = [...new Set(resourceTypes.map((rt) => rt.kind))];
  const objects = kinds.flatMap((kind) => c.list(kind));
  const uids = new Set(objects.map((o) => o.metadata.uid));
  for (const obj of objects) {
    const owners = obj.metadata.ownerReferences ?? [];
    if (owners.length > 0 && !owners.some((o) => uids.has(o.uid))) {
      c.remove(obj.kind, obj.metadata.namespace, obj.metadata.name);
    }
  }
}
