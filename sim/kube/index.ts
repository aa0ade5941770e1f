/**
 * The simulated Kubernetes API server: the local cluster behind local mode and the
 * remediation tests. Start it, seed it, and point a kubeconfig or client at `url`.
 */
export { type ClusterOptions, KubeCluster } from './cluster.ts';
export { kubeconfigFor } from './kubeconfig.ts';
export {
  GPU_NODES,
  GPU_PRODUCT,
  LLM_API_CONFIGMAP,
  ML_NAMESPACE,
  ROUTING_CONFIGMAP,
  seedAiPlatform,
} from './seed.ts';
export { type KubeApiOptions, type KubeApiServer, startKubeApi } from './server.ts';
export type { StatusBody } from './status.ts';
export type { KubeObject } from './store.ts';
