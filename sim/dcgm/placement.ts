import { hexFrom } from './noise.ts';
import { type DcgmClusterOptions, dcgmClusterOptions } from './options.ts';

/** The Kubernetes pod bound to a GPU, as the exporter's pod mapping reports it. */
export interface PodRef {
  namespace: string;
  pod: string;
  container: string;
}

/**
 * The placement table of the simulated cluster: which pod holds which GPU of which node. The DCGM
 * series (the exporter's pod mapping) and the scenario's GPU alerts both read it, so an alert names
 * the pod that `/gpu` shows on that GPU.
 */
export function podOnGpu(opts: DcgmClusterOptions, nodeIndex: number, gpu: number): PodRef | undefined {
  if (nodeIndex >= opts.firstTrainingNode) {
    return {
      namespace: 'ml-train',
      pod: `llm-pretrain-worker-${nodeIndex - opts.firstTrainingNode}`,
      container: 'trainer',
    };
  }
  // Inference nodes: two 4-GPU tensor-parallel replicas; one GPU of node-2 is left free so the
  // fleet shows an unassigned GPU too.
  if (nodeIndex === 2 && gpu === opts.gpusPerNode - 1) return undefined;
  const model = gpu < opts.gpusPerNode / 2 ? 'llama-70b' : 'mixtral-8x22b';
  const replica = hexFrom(`${opts.seed}/${nodeIndex}/${model}`, 5);
  return { namespace: 'inference', pod: `vllm-${model}-${replica}`, container: 'vllm' };
}

/** The pod on `node-<i>`'s GPU in the default cluster (the one local mode runs), or throws. */
export function defaultPodOnGpu(node: string, gpu: number): PodRef {
  const index = Number(/^node-(\d+)$/.exec(node)?.[1] ?? Number.NaN);
  const pod = podOnGpu(dcgmClusterOptions.parse({}), index, gpu);
  if (!pod) throw new Error(`no pod holds ${node} GPU ${gpu} in the simulated cluster`);
  return pod;
}
