import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';

/** AKS Node Problem Detector's GPU conditions: true means the node found that problem itself. */
export const NODE_PROBLEM_CONDITIONS = [
  'GPUMissing',
  'XIDErrors',
  'NVLinkStatusInactive',
  'IBLinkFlapping',
] as const;

/** A GPU node as the Kubernetes API sees it. */
export interface GpuNodeFacts {
  name: string;
  /** `status.capacity["nvidia.com/gpu"]`: the GPUs the node should report. */
  gpuCapacity: number;
  /** Node Problem Detector GPU conditions that are true, with their messages. */
  problems: Array<{ type: string; message: string }>;
}

/** Lists GPU nodes with their capacity and problems; undefined when the API cannot answer. */
export type GpuNodeInventory = () => Promise<GpuNodeFacts[] | undefined>;

const nodeList = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string() }),
      status: z
        .object({
          capacity: z.record(z.string(), z.unknown()).optional(),
          conditions: z
            .array(z.object({ type: z.string(), status: z.string(), message: z.string().optional() }))
            .optional(),
        })
        .optional(),
    }),
  ),
});

/**
 * Reads the GPU nodes from the cluster the bot acts on, so a node whose exporter reports nothing
 * is still known and counted as a blind spot. Nodes without `nvidia.com/gpu` capacity are left
 * out; an API that fails or stays silent for `timeoutMs` gives undefined (the metrics alone then).
 */
export function gpuNodesFromKube(
  kubeConfig: KubeConfig,
  options: { timeoutMs?: number } = {},
): GpuNodeInventory {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const timeoutMs = options.timeoutMs ?? 3_000;
  return async () => {
    try {
      const listed = await Promise.race([
        core.listNode(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
      ]);
      const parsed = nodeList.safeParse(listed);
      if (!parsed.success) return undefined;
      return parsed.data.items
        .map((n) => ({
          name: n.metadata.name,
          gpuCapacity: Number.parseInt(String(n.status?.capacity?.['nvidia.com/gpu'] ?? '0'), 10) || 0,
          problems: (n.status?.conditions ?? [])
            .filter(
              (c) => (NODE_PROBLEM_CONDITIONS as readonly string[]).includes(c.type) && c.status === 'True',
            )
            .map((c) => ({ type: c.type, message: c.message ?? '' })),
        }))
        .filter((n) => n.gpuCapacity > 0)
        .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    } catch {
      return undefined;
    }
  };
}
