import { MODEL_LABEL, MODEL_VERSION_LABEL } from '../../core/workload-labels.ts';
import { DEFAULT_CLUSTER, DEFAULT_PLACEMENT, type GpuWorkload } from '../dcgm/placement.ts';
import { FINETUNE_EPISODE, GPT4O_NEW_VERSION, GPT4O_OLD_VERSION } from '../telemetry/profile.ts';
import type { KubeCluster } from './cluster.ts';
import { newReplicaSet } from './controllers/deployments.ts';
import { controllerRef } from './controllers/util.ts';
import { cloneJson } from './json.ts';
import { deploymentSchema } from './shapes.ts';
import { formatTime, type KubeObject } from './store.ts';

/** The namespace the AI platform runs in. */
export const ML_NAMESPACE = 'ml';
/** GPU node names, node-0 … node-7: the nodes of the DCGM cluster local mode runs. */
export const GPU_NODES = Array.from({ length: DEFAULT_CLUSTER.nodes }, (_, i) => `node-${i}`);
const GPUS_PER_NODE = String(DEFAULT_CLUSTER.gpusPerNode);
export const GPU_PRODUCT = 'NVIDIA-H100-80GB-HBM3';
/** Where the simulated nodes' VMs live, as their providerIDs say (an AKS node resource group). */
export const SIM_NODE_VMS = {
  subscriptionId: '00000000-0000-0000-0000-0000000051a1',
  resourceGroup: 'MC_rg-ml_aks-ml_eastus2',
  scaleSet: 'aks-gpu-31415926-vmss',
};

/**
 * Contract of the AI gateway's routing ConfigMap: key `weights` holds a JSON object mapping
 * Azure OpenAI deployment (`<model>-<region>`) to a traffic weight; weights sum to 100.
 */
export const ROUTING_CONFIGMAP = 'aoai-gateway-routing';
/** ConfigMap read by llm-api at start-up; `BATCH_SIZE` is an integer as a string. */
export const LLM_API_CONFIGMAP = 'llm-api-config';

function addNode(c: KubeCluster, i: number): void {
  const name = `node-${i}`;
  c.create('Node', {
    metadata: {
      name,
      labels: {
        agentpool: 'gpu',
        'kubernetes.azure.com/agentpool': 'gpu',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'Standard_ND96isr_H100_v5',
        'topology.kubernetes.io/region': 'eastus2',
        'nvidia.com/gpu.product': GPU_PRODUCT,
        'nvidia.com/gpu.count': GPUS_PER_NODE,
        'nvidia.com/gpu.memory': '81559',
      },
    },
    spec: {
      providerID: `azure:///subscriptions/${SIM_NODE_VMS.subscriptionId}/resourceGroups/${SIM_NODE_VMS.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${SIM_NODE_VMS.scaleSet}/virtualMachines/${i}`,
    },
    status: {
      capacity: { cpu: '96', memory: '1857632Mi', 'nvidia.com/gpu': GPUS_PER_NODE, pods: '110' },
      allocatable: { cpu: '95', memory: '1800000Mi', 'nvidia.com/gpu': GPUS_PER_NODE, pods: '110' },
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
        // AKS Node Problem Detector's GPU checks (GPU health monitoring), all healthy at the start.
        ...NPD_GPU_CONDITIONS.map((type) => ({
          type,
          status: 'False',
          reason: `No${type}`,
          message: 'healthy',
        })),
      ],
      addresses: [
        { type: 'InternalIP', address: `10.224.0.${4 + i}` },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.4',
        osImage: 'Ubuntu 22.04.5 LTS',
        kernelVersion: '5.15.0-1079-azure',
        containerRuntimeVersion: 'containerd://1.7.27-1',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  });
}

/** Node conditions AKS Node Problem Detector sets on GPU nodes. */
export const NPD_GPU_CONDITIONS = [
  'GPUMissing',
  'XIDErrors',
  'NVLinkStatusInactive',
  'IBLinkFlapping',
] as const;

interface PodTemplateSpec {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

function template(
  w: GpuWorkload,
  image: string,
  env: Record<string, string>,
  extraLabels: Record<string, string> = {},
): PodTemplateSpec {
  return {
    metadata: { labels: { app: w.name, 'app.kubernetes.io/part-of': 'ai-platform', ...extraLabels } },
    spec: {
      nodeSelector: { agentpool: 'gpu' },
      containers: [
        {
          name: w.container,
          image,
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          resources: {
            ...(w.gpusPerReplica > 0 ? { limits: { 'nvidia.com/gpu': String(w.gpusPerReplica) } } : {}),
            requests: { cpu: '4', memory: '32Gi' },
          },
        },
      ],
    },
  };
}

/** A Deployment's pod template at one revision, with the change-cause that rolled it out. */
interface Revision {
  template: PodTemplateSpec;
  cause: string;
}

/** What each Deployment of the placement table runs: its revisions, oldest first, and its labels. */
function deploymentSpec(w: GpuWorkload): { revisions: Revision[]; labels?: Record<string, string> } {
  switch (w.name) {
    case 'llm-api': {
      // llm-api serves gpt-4o at a model version, pinned in its env and labelled on its pods; the
      // second revision is the model version whose rollout the latency story (and the simulated
      // telemetry, from the same constants) is about, so a rollback has somewhere to go.
      const at = (image: string, version: string): Revision => ({
        template: template(w, image, { MODEL_VERSION: version }, { [MODEL_VERSION_LABEL]: version }),
        cause: `model gpt-4o ${version}`,
      });
      return {
        revisions: [
          at('mlplatform.azurecr.io/llm-api:1.8.1', GPT4O_OLD_VERSION),
          at('mlplatform.azurecr.io/llm-api:1.9.0', GPT4O_NEW_VERSION),
        ],
        labels: { [MODEL_LABEL]: 'gpt-4o' },
      };
    }
    case SUPPORT_API.name: {
      // support-api serves gpt-4.1; its second revision is the fine-tuned version of the model
      // drift story (sim/telemetry/profile.ts), so the regression's rollback has a target.
      const { deployment, fromVersion, toVersion } = FINETUNE_EPISODE;
      const at = (image: string, version: string): Revision => ({
        template: template(w, image, { MODEL_VERSION: version }, { [MODEL_VERSION_LABEL]: version }),
        cause: `model ${deployment} ${version}`,
      });
      return {
        revisions: [
          at('mlplatform.azurecr.io/support-api:2.3.0', fromVersion),
          at('mlplatform.azurecr.io/support-api:2.4.0', toVersion),
        ],
        labels: { [MODEL_LABEL]: deployment },
      };
    }
    case 'embeddings':
      return {
        revisions: [
          {
            template: template(w, 'mlplatform.azurecr.io/embeddings:0.14.0', {
              MODEL: 'text-embedding-3-large',
            }),
            cause: 'initial',
          },
        ],
      };
    default: {
      const model = VLLM_MODELS[w.name] ?? w.name;
      const env = { MODEL: model, TENSOR_PARALLEL_SIZE: String(w.gpusPerReplica) };
      return { revisions: [{ template: template(w, 'vllm/vllm-openai:v0.8.5', env), cause: 'initial' }] };
    }
  }
}

/**
 * The support assistant's API in `ml`: an Azure OpenAI client (no GPUs of its own) pinned to the
 * gpt-4.1 model version it was rolled out with, two replicas on the API nodes.
 */
const SUPPORT_API: GpuWorkload = {
  namespace: ML_NAMESPACE,
  kind: 'Deployment',
  name: 'support-api',
  container: 'support-api',
  gpusPerReplica: 0,
  templateHash: '7c5d9f6b48',
  pods: ['q2m8x', 'w7k3p'].map((suffix, i) => ({
    namespace: ML_NAMESPACE,
    pod: `support-api-7c5d9f6b48-${suffix}`,
    container: 'support-api',
    node: `node-${i}`,
    gpus: [],
  })),
};

/** The Hugging Face models the vLLM deployments of the placement table serve. */
const VLLM_MODELS: Record<string, string> = {
  'vllm-llama-70b': 'meta-llama/Llama-3.3-70B-Instruct',
  'vllm-mixtral-8x22b': 'mistralai/Mixtral-8x22B-Instruct-v0.1',
};

/**
 * The pods of the placement table, bound to their nodes as a scheduler would have bound them,
 * owned by `owner` and started long enough ago to be Ready.
 */
function addPlacedPods(c: KubeCluster, w: GpuWorkload, owner: KubeObject, tpl: PodTemplateSpec): void {
  const started = formatTime(c.clock.now() - c.podReadyDelayMs);
  w.pods.forEach((p, index) => {
    const labels = { ...tpl.metadata.labels, ...podLabels(w, index) };
    c.create('Pod', {
      metadata: {
        name: p.pod,
        namespace: w.namespace,
        labels,
        annotations: tpl.metadata.annotations ?? {},
        ownerReferences: [controllerRef(owner)],
      },
      spec: { ...cloneJson(tpl.spec), nodeName: p.node },
      status: { phase: 'Pending', qosClass: 'Burstable', startTime: started },
    });
  });
}

function podLabels(w: GpuWorkload, index: number): Record<string, string> {
  if (w.kind === 'Deployment') return w.templateHash ? { 'pod-template-hash': w.templateHash } : {};
  return {
    'training.kubeflow.org/job-name': w.name,
    'training.kubeflow.org/operator-name': 'pytorchjob-controller',
    'training.kubeflow.org/replica-type': 'worker',
    'training.kubeflow.org/replica-index': String(index),
  };
}

/**
 * A Deployment of the placement table with its revision history: every earlier revision's
 * ReplicaSet scaled to zero, and the current one owning the table's pods under the table's
 * pod-template-hash, so the controllers find the rollout finished.
 */
function addDeployment(c: KubeCluster, w: GpuWorkload): void {
  const { revisions, labels = {} } = deploymentSpec(w);
  const metadata = (cause: string) => ({
    name: w.name,
    namespace: w.namespace,
    labels: { app: w.name, ...labels },
    annotations: { 'kubernetes.io/change-cause': cause },
  });
  const spec = (tpl: PodTemplateSpec, replicas: number) => ({
    replicas,
    selector: { matchLabels: { app: w.name } },
    template: tpl,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    revisionHistoryLimit: 10,
  });
  const history = revisions.slice(0, -1);
  const current = revisions[revisions.length - 1]!;
  let dep = c.create('Deployment', {
    metadata: metadata(history[0]?.cause ?? current.cause),
    spec: spec(history[0]?.template ?? current.template, history.length > 0 ? 0 : w.pods.length),
  });
  // Earlier revisions roll out with no replicas: their ReplicaSets are the rollback targets.
  for (const [i, r] of history.entries()) {
    if (i > 0)
      dep = c.save({
        ...dep,
        metadata: { ...dep.metadata, ...metadata(r.cause) },
        spec: spec(r.template, 0),
      });
    c.tick();
    dep = c.find('Deployment', w.namespace, w.name) ?? dep;
  }
  if (history.length > 0)
    dep = c.save({
      ...dep,
      metadata: { ...dep.metadata, ...metadata(current.cause) },
      spec: spec(current.template, w.pods.length),
    });
  const parsed = deploymentSchema.parse(dep);
  const rs = c.create('ReplicaSet', newReplicaSet(dep, parsed, revisions.length, w.templateHash));
  addPlacedPods(c, w, rs, current.template);
}

/** The training job of the placement table: a Kubeflow PyTorchJob whose workers are its pods. */
function addTrainingJob(c: KubeCluster, w: GpuWorkload): void {
  const tpl = template(w, 'mlplatform.azurecr.io/llm-train:2026.11.2', { EPOCHS: '3' });
  const since = formatTime(c.clock.now() - c.podReadyDelayMs);
  const job = c.create('PyTorchJob', {
    metadata: { name: w.name, namespace: w.namespace, labels: { app: w.name } },
    spec: {
      runPolicy: { cleanPodPolicy: 'None' },
      pytorchReplicaSpecs: { Worker: { replicas: w.pods.length, restartPolicy: 'OnFailure', template: tpl } },
    },
    status: {
      startTime: since,
      conditions: [
        {
          type: 'Created',
          status: 'True',
          reason: 'PyTorchJobCreated',
          message: `PyTorchJob ${w.namespace}/${w.name} is created.`,
          lastTransitionTime: since,
        },
        {
          type: 'Running',
          status: 'True',
          reason: 'PyTorchJobRunning',
          message: `PyTorchJob ${w.namespace}/${w.name} is running.`,
          lastTransitionTime: since,
        },
      ],
      replicaStatuses: { Worker: { active: w.pods.length } },
    },
  });
  addPlacedPods(c, w, job, tpl);
}

/**
 * Seed a realistic AI platform from the placement table (sim/dcgm/placement.ts), the one the
 * DCGM series map GPUs to pods with: the GPU nodes; the `ml` namespace with llm-api (two
 * revisions, so a rollback has somewhere to go) and embeddings; the `inference` namespace's vLLM
 * deployments; the `ml-train` pretraining PyTorchJob; every pod bound to the node and holding the
 * GPUs the table gives it. Then the llm-api HPA and PDB, and the gateway routing and llm-api
 * ConfigMaps. All pods end Running and Ready on their nodes.
 */
export function seedAiPlatform(c: KubeCluster): void {
  const namespaces = new Set([
    'default',
    'kube-system',
    ML_NAMESPACE,
    ...DEFAULT_PLACEMENT.map((w) => w.namespace),
  ]);
  for (const ns of namespaces)
    c.create('Namespace', {
      metadata: { name: ns },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  for (let i = 0; i < GPU_NODES.length; i++) addNode(c, i);
  c.create('ConfigMap', {
    metadata: { name: ROUTING_CONFIGMAP, namespace: ML_NAMESPACE, labels: { app: 'aoai-gateway' } },
    data: {
      weights: JSON.stringify({ 'gpt-4o-eastus2': 100, 'gpt-4o-swedencentral': 0 }),
      primary: 'gpt-4o-eastus2',
      secondary: 'gpt-4o-swedencentral',
    },
  });
  c.create('ConfigMap', {
    metadata: { name: LLM_API_CONFIGMAP, namespace: ML_NAMESPACE, labels: { app: 'llm-api' } },
    data: { BATCH_SIZE: '32', MAX_TOKENS: '4096', MODEL_DEPLOYMENT: 'gpt-4o-eastus2' },
  });
  for (const w of DEFAULT_PLACEMENT) {
    if (w.kind === 'Deployment') addDeployment(c, w);
    else addTrainingJob(c, w);
  }
  addDeployment(c, SUPPORT_API);
  c.create('HorizontalPodAutoscaler', {
    metadata: { name: 'llm-api', namespace: ML_NAMESPACE },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm-api' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Pods',
          pods: {
            metric: { name: 'DCGM_FI_DEV_GPU_UTIL' },
            target: { type: 'AverageValue', averageValue: '80' },
          },
        },
      ],
    },
  });
  c.create('PodDisruptionBudget', {
    metadata: { name: 'llm-api', namespace: ML_NAMESPACE },
    spec: { minAvailable: 3, selector: { matchLabels: { app: 'llm-api' } } },
  });
  settlePods(c);
}

/** Start every pod's clock early enough that it is Ready now, then let controllers finish. */
function settlePods(c: KubeCluster): void {
  for (let round = 0; round < 5; round++) {
    c.tick();
    const past = formatTime(c.clock.now() - c.podReadyDelayMs);
    const pods = c
      .list('Pod')
      .filter((p) => (p.status as { startTime?: string } | undefined)?.startTime !== past);
    if (pods.length === 0) break;
    for (const pod of pods) c.save({ ...pod, status: { ...(pod.status as object), startTime: past } });
  }
  c.tick();
}
