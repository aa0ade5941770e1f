import { request } from 'node:https';
import { z } from 'zod';
import { ExecutorError } from '../errors.ts';

/**
 * A small ARM client for AKS agent pools over the REST API (`Microsoft.ContainerService`
 * `managedClusters/{cluster}/agentPools/{pool}`). `@azure/arm-containerservice` is not installed;
 * this speaks the same API, and the {@link AgentPoolApi} seam lets the SDK replace it.
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
  /** PUT (create or update); with `ifMatch`, a changed pool fails with 412. */
  put(pool: string, properties: Record<string, unknown>, ifMatch: string | undefined): Promise<AgentPool>;
}

export interface ArmOptions {
  cluster: AksCluster;
  /** `https://management.azure.com` in Azure; a local HTTPS server in tests. */
  endpoint: string;
  /** A bearer token for `https://management.azure.com/.default` (managed identity, CLI, …). */
  getToken(): Promise<string>;
  apiVersion?: string;
  /** Extra CA certificate(s) to trust (tests' self-signed server). */
  ca?: string;
}

/** Fields ARM computes; they are not sent back on PUT. */
const READ_ONLY = [
  'provisioningState',
  'powerState',
  'nodeImageVersion',
  'currentOrchestratorVersion',
  'eTag',
];

function send(
  url: URL,
  method: 'GET' | 'PUT',
  headers: Record<string, string>,
  body: string | undefined,
  ca: string | undefined,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('ARM request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

function armMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (parsed.error) return `${parsed.error.code ?? 'Error'}: ${parsed.error.message ?? ''}`;
  } catch {
    // Not an ARM error body.
  }
  return text.slice(0, 200);
}

/** The agent-pool API of one AKS cluster over ARM REST. */
export function createAgentPoolApi(options: ArmOptions): AgentPoolApi {
  const { subscriptionId, resourceGroup, cluster } = options.cluster;
  const apiVersion = options.apiVersion ?? '2024-09-01';
  const urlOf = (pool: string) =>
    new URL(
      `/subscriptions/${subscriptionId}/resourceGroups/${encodeURIComponent(resourceGroup)}/providers/Microsoft.ContainerService/managedClusters/${encodeURIComponent(cluster)}/agentPools/${encodeURIComponent(pool)}?api-version=${apiVersion}`,
      options.endpoint,
    );

  async function call(what: string, method: 'GET' | 'PUT', pool: string, body?: unknown, ifMatch?: string) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await options.getToken()}`,
      accept: 'application/json',
    };
    const text = body === undefined ? undefined : JSON.stringify(body);
    if (text !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch) headers['if-match'] = ifMatch;
    let res: { status: number; text: string };
    try {
      res = await send(urlOf(pool), method, headers, text, options.ca);
    } catch (err) {
      throw new ExecutorError('ARM_UNREACHABLE', `${what}: ${(err as Error).message}`, undefined, {
        cause: err,
      });
    }
    if (res.status >= 300)
      throw new ExecutorError(`ARM_${res.status}`, `${what}: ${armMessage(res.text)}`, res.status);
    return agentPool.parse(JSON.parse(res.text));
  }

  return {
    get: (pool) => call(`read agent pool ${pool}`, 'GET', pool),
    put: (pool, properties, ifMatch) => {
      const writable = Object.fromEntries(Object.entries(properties).filter(([k]) => !READ_ONLY.includes(k)));
      return call(`update agent pool ${pool}`, 'PUT', pool, { properties: writable }, ifMatch);
    },
  };
}
