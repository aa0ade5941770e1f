import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { ExecutorError } from '../errors.ts';

/** The typed API clients the Kubernetes actions use; built once from a kubeconfig. */
export interface KubeClients {
  apps: AppsV1Api;
  core: CoreV1Api;
  autoscaling: AutoscalingV2Api;
  /** Jobs: the GPU reset runs as one, pinned to the node. */
  batch: BatchV1Api;
}

/** Builds the clients from a loaded kubeconfig (in-cluster, file, or the simulated cluster's). */
export function createKubeClients(kubeConfig: KubeConfig): KubeClients {
  return {
    apps: kubeConfig.makeApiClient(AppsV1Api),
    core: kubeConfig.makeApiClient(CoreV1Api),
    autoscaling: kubeConfig.makeApiClient(AutoscalingV2Api),
    batch: kubeConfig.makeApiClient(BatchV1Api),
  };
}

/** client-node defaults PATCH to JSON Patch; these pick the other content types explicitly. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
export const strategicPatch = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
export const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

/** `dryRun=All` for a server-side dry run, or nothing for a real write. */
export function dryRunParam(dryRun: boolean): { dryRun?: string } {
  return dryRun ? { dryRun: 'All' } : {};
}

function statusMessage(body: unknown): string | undefined {
  try {
    const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
    if (parsed && typeof parsed === 'object' && 'message' in parsed) return String(parsed.message);
  } catch {
    // Not a Status body: fall back to the client's own message.
  }
  return undefined;
}

/**
 * Runs one API call and turns a failure into an {@link ExecutorError} carrying the HTTP status
 * and the server's Status message, so callers can tell a conflict (409) or a PDB refusal (429).
 */
export async function kubeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiException) {
      const code = err.code as number;
      const message = statusMessage(err.body) ?? err.message;
      throw new ExecutorError(`KUBE_${code}`, `${what}: ${message}`, code, { cause: err });
    }
    throw new ExecutorError('KUBE_UNREACHABLE', `${what}: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  }
}

/** The revision annotation Deployments and their ReplicaSets carry. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The pod-template annotation `kubectl rollout restart` sets. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
