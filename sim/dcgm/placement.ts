import { safeSuffix } from '../kube/names.ts';
import { type DcgmClusterOptions, dcgmClusterOptions } from './options.ts';

/** The Kubernetes pod bound to a GPU, as the exporter's pod mapping reports it. */
export interface PodRef {
  namespace: string;
  pod: string;
  container: string;
}

/** One replica of a GPU workload: its pod, the node it is bound to and the GPUs it holds there. */
export interface PlacedPod extends PodRef {
  node: string;
  gpus: number[];
}

/** A workload of the simulated cluster that holds GPUs, with every replica's place. */
export interface GpuWorkload {
  namespace: string;
  /** What owns the pods: a Deployment (through its ReplicaSet) or the training operator's job. */
  kind: 'Deployment' | 'PyTorchJob';
  name: string;
  container: string;
  gpusPerReplica: number;
  /** The running ReplicaSet's pod-template-hash (Deployments): its pods are named after it. */
  templateHash?: string;
  pods: PlacedPod[];
}

/** Namespaces of the platform's workloads. */
export const PLATFORM_NAMESPACES = { api: 'ml', inference: 'inference', training: 'ml-train' } as const;

interface DeploymentDraft {
  namespace: string;
  name: string;
  container: string;
  gpusPerReplica: number;
  places: { node: number; gpus: number[] }[];
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function deployment(opts: DcgmClusterOptions, d: DeploymentDraft): GpuWorkload {
  const templateHash = safeSuffix(`${opts.seed}/${d.namespace}/${d.name}`, 10);
  return {
    namespace: d.namespace,
    kind: 'Deployment',
    name: d.name,
    container: d.container,
    gpusPerReplica: d.gpusPerReplica,
    templateHash,
    pods: d.places.map((p, i) => ({
      namespace: d.namespace,
      pod: `${d.name}-${templateHash}-${safeSuffix(`${opts.seed}/${d.namespace}/${d.name}/${i}`, 5)}`,
      container: d.container,
      node: `node-${p.node}`,
      gpus: p.gpus,
    })),
  };
}

/**
 * The placement table of the simulated cluster: every workload that holds GPUs and which GPUs of
 * which node each of its pods holds. It is the single source of the simulated world's workloads:
 * the Kubernetes seed creates these namespaces, owners and pods (bound to these nodes), the DCGM
 * series map these pods to these GPUs, and the scenario's GPU alerts name them.
 *
 * Inference nodes (below `firstTrainingNode`) each run one llm-api replica on GPU 0, the first
 * two an embeddings replica on GPU 1, and one tensor-parallel vLLM replica on the upper half of
 * their GPUs (Llama 70B on the first half of the nodes, Mixtral 8x22B on the rest); the GPUs in
 * between stay free, so the scheduler has room and the fleet shows unassigned GPUs. Training
 * nodes run one worker of the llm-pretrain PyTorchJob each, on all their GPUs.
 */
export function placement(opts: DcgmClusterOptions): GpuWorkload[] {
  const inferenceNodes = range(0, Math.min(opts.firstTrainingNode, opts.nodes));
  const trainingNodes = range(opts.firstTrainingNode, opts.nodes);
  const g = opts.gpusPerNode;
  const tp = g >= 4 ? Math.floor(g / 2) : 0;
  const vllmGpus = range(g - tp, g);
  const llamaNodes = inferenceNodes.slice(0, Math.ceil(inferenceNodes.length / 2));
  const mixtralNodes = inferenceNodes.slice(llamaNodes.length);
  const workloads = [
    deployment(opts, {
      namespace: PLATFORM_NAMESPACES.api,
      name: 'llm-api',
      container: 'llm-api',
      gpusPerReplica: 1,
      places: inferenceNodes.map((node) => ({ node, gpus: [0] })),
    }),
    deployment(opts, {
      namespace: PLATFORM_NAMESPACES.api,
      name: 'embeddings',
      container: 'embeddings',
      gpusPerReplica: 1,
      places: g >= 2 && tp < g - 1 ? inferenceNodes.slice(0, 2).map((node) => ({ node, gpus: [1] })) : [],
    }),
    ...(tp === 0
      ? []
      : [
          ['vllm-llama-70b', llamaNodes],
          ['vllm-mixtral-8x22b', mixtralNodes],
        ].map(([name, nodes]) =>
          deployment(opts, {
            namespace: PLATFORM_NAMESPACES.inference,
            name: name as string,
            container: 'vllm',
            gpusPerReplica: tp,
            places: (nodes as number[]).map((node) => ({ node, gpus: vllmGpus })),
          }),
        )),
  ];
  const training: GpuWorkload = {
    namespace: PLATFORM_NAMESPACES.training,
    kind: 'PyTorchJob',
    name: 'llm-pretrain',
    container: 'trainer',
    gpusPerReplica: g,
    pods: trainingNodes.map((node, i) => ({
      namespace: PLATFORM_NAMESPACES.training,
      pod: `llm-pretrain-worker-${i}`,
      container: 'trainer',
      node: `node-${node}`,
      gpus: range(0, g),
    })),
  };
  return [...workloads.filter((w) => w.pods.length > 0), ...(training.pods.length > 0 ? [training] : [])];
}

/** Which pod holds each GPU, keyed `node/gpu`. */
export function podsByGpu(workloads: GpuWorkload[]): Map<string, PodRef> {
  const out = new Map<string, PodRef>();
  for (const w of workloads)
    for (const p of w.pods)
      for (const gpu of p.gpus)
        out.set(`${p.node}/${gpu}`, { namespace: p.namespace, pod: p.pod, container: p.container });
  return out;
}

/** The cluster local mode runs (the default options) and its placement. */
export const DEFAULT_CLUSTER = dcgmClusterOptions.parse({});
export const DEFAULT_PLACEMENT: readonly GpuWorkload[] = placement(DEFAULT_CLUSTER);
const defaultPods = podsByGpu([...DEFAULT_PLACEMENT]);

/** The pod on `node-<i>`'s GPU in the default cluster (the one local mode runs), or throws. */
export function defaultPodOnGpu(node: string, gpu: number): PodRef {
  const pod = defaultPods.get(`${node}/${gpu}`);
  if (!pod) throw new Error(`no pod holds ${node} GPU ${gpu} in the simulated cluster`);
  return pod;
}
