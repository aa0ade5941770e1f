import { ContainerServiceClient, isRestError } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';
import { ExecutorError } from '../errors.ts';

/**
 * AKS agent pools through `@azure/arm-containerservice` (`Microsoft.ContainerService`
 * `managedClusters/{cluster}/agentPools/{pool}`), behind the small {@link AgentPoolApi} seam the
 * scale-node-pool action uses.
 */

/** Which cluster the bot may scale, from configuration. */
export const aksCluster = z.object({
  subscriptionId: z.string().regex(/^[0-9a-fA-F-]{36}$/, 'must be a subscription id (UUID)'),
  resourceGroup: z.string().min(1),
  cluster: z.string().min(1),
});
export type AksCluster = z.infer<typeof aksCluster>;

/** The agent pool fields the bot reads; everything else is kept and sent back unchanged on PUT. */
export const agentPool = z.object({
  id: z.string(),
  name: z.string(),
  properties: z.looseObject({
    count: z.number().int(),
    enableAutoScaling: z.boolean().optional(),
    minCount: z.number().int().nullish(),
    maxCount: z.number().int().nullish(),
    provisioningState: z.string().optional(),
    /** Optimistic concurrency: sent back as If-Match. */
    eTag: z.string().optional(),
  }),
});
export type AgentPool = z.infer<typeof agentPool>;

export interface AgentPoolApi {
  get(pool: string): Promise<AgentPool>;
  /**
   * Starts the long-running PUT (create or update) and returns the pool as it reads once ARM has
   * accepted it (usually `Updating`); the caller's verify step waits for it to settle. With
   * `ifMatch`, a pool that changed meanwhile fails with 412.
   */
  put(pool: string, properties: Record<string, unknown>, ifMatch: string | undefined): Promise<AgentPool>;
}

export interface ArmOptions {
  cluster: AksCluster;
  /** `https://management.azure.com` in Azure; a local HTTPS server in tests. */
  endpoint: string;
  /** Azure identity for Resource Manager (DefaultAzureCredential in production). */
  credential: TokenCredential;
  /** Pins the agentPools API version; the SDK's own default otherwise. */
  apiVersion?: string;
  /** Extra CA certificate(s) to trust (tests' self-signed server). */
  ca?: string;
  /** Retries of transient failures (the SDK's default is 3). */
  maxRetries?: number;
}

/** Fields ARM computes; they are not sent back on PUT. */
const READ_ONLY = [
  'provisioningState',
  'powerState',
  'nodeImageVersion',
  'currentOrchestratorVersion',
  'eTag',
];

/** The SDK's flattened model → the bot's `{ id, name, properties }` shape (ARM's wire shape). */
function fromSdk(pool: Record<string, unknown>): AgentPool {
  const { id, name, type: _type, systemData: _systemData, ...properties } = pool;
  const defined = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== undefined));
  return agentPool.parse({ id, name, properties: defined });
}

function toExecutorError(what: string, err: unknown): ExecutorError {
  if (isRestError(err) && err.statusCode !== undefined) {
    const detail = err.code ? `${err.code}: ${err.message}` : err.message;
    return new ExecutorError(`ARM_${err.statusCode}`, `${what}: ${detail}`, err.statusCode, { cause: err });
  }
  return new ExecutorError('ARM_UNREACHABLE', `${what}: ${(err as Error).message}`, undefined, {
    cause: err,
  });
}

/** The agent-pool API of one AKS cluster through the ContainerService SDK. */
export function createAgentPoolApi(options: ArmOptions): AgentPoolApi {
  const { subscriptionId, resourceGroup, cluster } = options.cluster;
  const client = new ContainerServiceClient(options.credential, subscriptionId, {
    endpoint: options.endpoint,
    apiVersion: options.apiVersion,
    ...(options.ca ? { tlsOptions: { ca: options.ca } } : {}),
    retryOptions: { maxRetries: options.maxRetries ?? 3 },
  });
  const pools = client.agentPools;

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toExecutorError(what, err);
    }
  }

  const get = (pool: string) =>
    call(`read agent pool ${pool}`, async () =>
      fromSdk({ ...(await pools.get(resourceGroup, cluster, pool)) }),
    );

  return {
    get,
    async put(pool, properties, ifMatch) {
      const writable = Object.fromEntries(Object.entries(properties).filter(([k]) => !READ_ONLY.includes(k)));
      await call(`update agent pool ${pool}`, async () => {
        // Submitting sends the PUT; the poller is not awaited, so the bot never blocks on ARM's
        // minutes-long operation: verification re-reads the pool on the bot's own clock.
        const poller = pools.createOrUpdate(
          resourceGroup,
          cluster,
          pool,
          writable,
          ifMatch ? { ifMatch } : {},
        );
        await poller.submitted();
      });
      return get(pool);
    },
  };
}
