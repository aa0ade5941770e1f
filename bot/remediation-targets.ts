import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../core/errors.ts';
import {
  apimService,
  type BackendPoolApi,
  createBackendPoolApi,
} from '../remediation/executors/apim-backends.ts';
import { type AgentPoolApi, aksCluster, createAgentPoolApi } from '../remediation/executors/azure.ts';
import { createScaleSetVmApi, type ScaleSetVmApi } from '../remediation/executors/scale-set-vms.ts';
import type { RemediationPolicy } from '../remediation/policy.ts';
import type { Config } from './config.ts';

/**
 * The production systems remediation writes to, as the config has them (KUBECONFIG,
 * AZURE_SUBSCRIPTION_ID, AZURE_ARM_ENDPOINT): the kubeconfig file, else ~/.kube/config or the
 * in-cluster account; Resource Manager at https://management.azure.com unless told otherwise.
 */
export type RemediationTargetConfig = Config['remediationTargets'];

/** The cluster the Kubernetes actions act on: the file given, or client-node's default search. */
export function loadKubeConfig(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
  } catch (err) {
    throw new AppError('KUBECONFIG_INVALID', `cannot load the kubeconfig ${path ?? '(default)'}`, {
      cause: err,
    });
  }
  if (!kc.getCurrentCluster())
    throw new AppError(
      'KUBECONFIG_MISSING',
      'remediation needs a Kubernetes cluster: set KUBECONFIG or run in a pod with a service account',
    );
  return kc;
}

/**
 * The AKS node pools of the policy's `aks` cluster, when it and a subscription are configured;
 * undefined otherwise (scale-node-pool then tells the user what is missing).
 */
export function connectNodePools(
  policy: RemediationPolicy,
  azure: RemediationTargetConfig,
  credential: () => TokenCredential,
): AgentPoolApi | undefined {
  const subscriptionId = policy.aks?.subscriptionId ?? azure.azureSubscriptionId;
  if (!policy.aks || !subscriptionId) return undefined;
  const cluster = aksCluster.parse({ ...policy.aks, subscriptionId });
  return createAgentPoolApi({
    cluster,
    endpoint: azure.armEndpoint ?? 'https://management.azure.com',
    credential: credential(),
  });
}

/**
 * The VM scale set instances behind the AKS cluster's nodes (reboot-node), in the same subscription
 * and under the same condition as its node pools: the policy names the cluster.
 */
export function connectNodeVms(
  policy: RemediationPolicy,
  azure: RemediationTargetConfig,
  credential: () => TokenCredential,
): ScaleSetVmApi | undefined {
  const subscriptionId = policy.aks?.subscriptionId ?? azure.azureSubscriptionId;
  if (!policy.aks || !subscriptionId) return undefined;
  return createScaleSetVmApi({
    subscriptionId,
    endpoint: azure.armEndpoint ?? 'https://management.azure.com',
    credential: credential(),
  });
}

/**
 * The AI gateway's API Management backend pools (shift-backend-pool), when the policy has
 * `remediation.apim` and a subscription is known (its own or AZURE_SUBSCRIPTION_ID).
 */
export function connectBackendPools(
  policy: RemediationPolicy,
  azure: RemediationTargetConfig,
  credential: () => TokenCredential,
): BackendPoolApi | undefined {
  const subscriptionId = policy.apim?.subscriptionId ?? azure.azureSubscriptionId;
  if (!policy.apim || !subscriptionId) return undefined;
  return createBackendPoolApi({
    apim: apimService.parse({ ...policy.apim, subscriptionId }),
    endpoint: azure.armEndpoint ?? 'https://management.azure.com',
    credential: credential(),
  });
}

/**
 * What a production bot's remediation acts on: the Kubernetes cluster of the kubeconfig and, when
 * the policy names an AKS cluster, its node pools and node VMs through Resource Manager with the Azure identity
 * of the environment (managed identity, workload identity, CLI login).
 */
export function connectRemediationTargets(
  config: RemediationTargetConfig,
  policy: RemediationPolicy,
): {
  kubeConfig: KubeConfig;
  nodePools: AgentPoolApi | undefined;
  nodeVms: ScaleSetVmApi | undefined;
  backendPools: BackendPoolApi | undefined;
} {
  let credential: TokenCredential | undefined;
  const shared = () => {
    credential ??= new DefaultAzureCredential();
    return credential;
  };
  return {
    kubeConfig: loadKubeConfig(config.kubeconfigPath),
    nodePools: connectNodePools(policy, config, shared),
    nodeVms: connectNodeVms(policy, config, shared),
    backendPools: connectBackendPools(policy, config, shared),
  };
}
