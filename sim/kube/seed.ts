import { MODEL_LABEL, MODEL_VERSION_LABEL } from '../../core/workload-labels.ts';
import { GPT4O_NEW_VERSION, GPT4O_OLD_VERSION } from '../telemetry/profile.ts';
import type { KubeCluster } from './cluster.ts';
import { formatTime } from './store.ts';

/** The namespace the AI platform runs in. */
export const ML_NAMESPACE = 'ml';
/** GPU node names, node-0 … node-7. */
export const GPU_NODES = Array.from({ length: 8 }, (_, i) => `node-${i}`);
export const GPU_PRODUCT = 'NVIDIA-H100-80GB-HBM3';

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
        'nvidia.com/gpu.count': '8',
        'nvidia.com/gpu.memory': '81559',
      },
    },
    spec: {
      providerID: `azure:///subscriptions/sim/resourceGroups/mc_ml/providers/Microsoft.Compute/virtualMachineScaleSets/aks-gpu/virtualMachines/${i}`,
    },
    status: {
      capacity: { cpu: '96', memory: '1857632Mi', 'nvidia.com/gpu': '8', pods: '110' },
      allocatable: { cpu: '95', memory: '1800000Mi', 'nvidia.com/gpu': '8', pods: '110' },
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
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

function template(
  app: string,
  image: string,
  gpus: number,
  env: Record<string, string>,
  extraLabels: Record<string, string> = {},
) {
  return {
    metadata: { labels: { app, 'app.kubernetes.io/part-of': 'ai-platform', ...extraLabels } },
    spec: {
      nodeSelector: { agentpool: 'gpu' },
      containers: [
        {
          name: app,
          image,
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          resources: { limits: { 'nvidia.com/gpu': String(gpus) }, requests: { cpu: '4', memory: '32Gi' } },
        },
      ],
    },
  };
}

/** llm-api serves gpt-4o at a model version, pinned in its env and labelled on its pods. */
function llmApiTemplate(image: string, modelVersion: string) {
  return template(
    'llm-api',
    image,
    1,
    { MODEL_VERSION: modelVersion },
    { [MODEL_VERSION_LABEL]: modelVersion },
  );
}

function addDeployment(
  c: KubeCluster,
  name: string,
  replicas: number,
  tpl: ReturnType<typeof template>,
  cause: string,
  labels: Record<string, string> = {},
): void {
  c.create('Deployment', {
    metadata: {
      name,
      namespace: ML_NAMESPACE,
      labels: { app: name, ...labels },
      annotations: { 'kubernetes.io/change-cause': cause },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: tpl,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
    },
  });
}

/**
 * Seed a realistic AI platform: GPU nodes, the `ml` namespace with llm-api (two revisions, so a
 * rollback has somewhere to go), embeddings and llm-train, the llm-api HPA and PDB, and the
 * gateway routing and llm-api ConfigMaps. All pods end Running and Ready on their nodes.
 */
export function seedAiPlatform(c: KubeCluster): void {
  for (const ns of ['default', 'kube-system', ML_NAMESPACE])
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
  addDeployment(
    c,
    'llm-api',
    4,
    llmApiTemplate('mlplatform.azurecr.io/llm-api:1.8.1', GPT4O_OLD_VERSION),
    `model gpt-4o ${GPT4O_OLD_VERSION}`,
    { [MODEL_LABEL]: 'gpt-4o' },
  );
  addDeployment(
    c,
    'embeddings',
    2,
    template('embeddings', 'mlplatform.azurecr.io/embeddings:0.14.0', 1, { MODEL: 'text-embedding-3-large' }),
    'initial',
  );
  addDeployment(
    c,
    'llm-train',
    2,
    template('llm-train', 'mlplatform.azurecr.io/llm-train:2026.11.2', 4, { EPOCHS: '3' }),
    'initial',
  );
  c.tick();
  // A second llm-api revision: the gpt-4o model version whose rollout the latency story (and the
  // simulated telemetry, from the same constants) is about, so a rollback has somewhere to go.
  const api = c.find('Deployment', ML_NAMESPACE, 'llm-api');
  if (api) {
    const next = llmApiTemplate('mlplatform.azurecr.io/llm-api:1.9.0', GPT4O_NEW_VERSION);
    c.save({
      ...api,
      metadata: {
        ...api.metadata,
        annotations: {
          ...api.metadata.annotations,
          'kubernetes.io/change-cause': `model gpt-4o ${GPT4O_NEW_VERSION}`,
        },
      },
      spec: { ...(api.spec as object), template: next },
    });
  }
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
