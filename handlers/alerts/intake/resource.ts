import type { AlertResource } from '../../../core/alerts/alert.ts';

/**
 * Label names that carry each resource field, most specific first, compared case-insensitively
 * (dcgm-exporter ≤ 4.5 emits `Hostname`, later versions `hostname`; Azure dimensions are PascalCase).
 * `exported_*` comes first: when Prometheus scrapes an exporter, `namespace`/`pod` name the
 * exporter and `exported_namespace`/`exported_pod` the workload the series is about.
 */
const CANDIDATES: { readonly [K in keyof AlertResource]-?: readonly string[] } = {
  cluster: ['cluster', 'cluster_name', 'k8s_cluster_name', 'kubernetes_cluster'],
  node: [
    'hostname',
    'node',
    'nodename',
    'node_name',
    'kubernetes_node',
    'k8s_node_name',
    'computer',
    'host',
    'instance',
  ],
  gpu: ['gpu', 'gpu_index', 'gpu_id'],
  namespace: ['exported_namespace', 'namespace', 'kubernetes_namespace', 'k8s_namespace_name'],
  pod: ['exported_pod', 'pod', 'pod_name', 'kubernetes_pod_name', 'k8s_pod_name'],
  deployment: [
    'model_deployment',
    'modeldeploymentname',
    'deployment',
    'deployment_name',
    'k8s_deployment_name',
  ],
  model: ['model', 'model_name', 'modelname'],
  modelVersion: ['model_version', 'modelversion'],
  appRole: ['app_role', 'approle', 'app_role_name', 'approlename', 'cloud_rolename', 'cloud_role_name'],
  azureResourceId: ['_resourceid', 'resourceid', 'azure_resource_id'],
};

/** Labels whose presence marks a DCGM series, whose `modelName` is the GPU product, not an ML model. */
const GPU_SERIES_MARKERS = ['uuid', 'gpu', 'dcgm_fi_driver_version'];

const ARM_ID = /^\/subscriptions\//i;

/**
 * Lifts what an alert is about out of its labels (or Azure dimensions), so policy and cards need
 * not guess label spellings. Shared by every intake parser; empty values count as absent.
 */
export function extractResource(labels: Readonly<Record<string, string>>): AlertResource {
  const byLowerName = new Map<string, string>();
  for (const [name, value] of Object.entries(labels)) {
    const key = name.toLowerCase();
    if (value.trim() !== '' && !byLowerName.has(key)) byLowerName.set(key, value.trim());
  }
  const isGpuSeries = GPU_SERIES_MARKERS.some((m) => byLowerName.has(m));
  const resource: AlertResource = {};
  for (const field of Object.keys(CANDIDATES) as (keyof AlertResource)[]) {
    for (const candidate of CANDIDATES[field]) {
      if (field === 'model' && candidate === 'modelname' && isGpuSeries) continue;
      const value = byLowerName.get(candidate);
      if (value === undefined) continue;
      if (field === 'azureResourceId' && !ARM_ID.test(value)) continue;
      resource[field] = candidate === 'instance' ? stripPort(value) : value;
      break;
    }
  }
  return resource;
}

/** `node-7:9400` → `node-7`, `[fd00::7]:9400` → `fd00::7`; a bare IPv6 address stays as it is. */
function stripPort(instance: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (bracketed) return bracketed[1]!;
  const hostPort = /^([^:]+):\d+$/.exec(instance);
  return hostPort ? hostPort[1]! : instance;
}
