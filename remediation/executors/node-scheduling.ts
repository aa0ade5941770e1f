import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';

/** Whether a node takes new pods, as the Kubernetes API says (`spec.unschedulable`). */
export interface NodeSchedulingState {
  cordoned: boolean;
}

/** Reads a node's scheduling state; undefined when the API does not know the node or cannot answer. */
export type NodeScheduling = (node: string) => Promise<NodeSchedulingState | undefined>;

const nodeShape = z.object({
  spec: z.object({ unschedulable: z.boolean().optional() }).optional(),
});

/**
 * The scheduling state from the cluster the bot acts on, so `/gpu` shows what a cordon did
 * instead of what the metrics alone suggest. A failing API leaves the card without the fact
 * rather than failing the command: the GPU readings are still worth showing.
 */
export function nodeSchedulingFromKube(kubeConfig: KubeConfig): NodeScheduling {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return async (node) => {
    try {
      const parsed = nodeShape.safeParse(await core.readNode({ name: node }));
      return parsed.success ? { cordoned: parsed.data.spec?.unschedulable === true } : undefined;
    } catch {
      return undefined;
    }
  };
}
