import { ApiManagementClient } from '@azure/arm-apimanagement';
import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';
import { ExecutorError } from '../errors.ts';

/**
 * The AI gateway's load balancing: an API Management backend of type `Pool`
 * (`Microsoft.ApiManagement/service/{service}/backends/{pool}`, api-version 2024-05-01) whose
 * `properties.pool.services[]` list member backends by ARM id with a `priority` (0–100; the
 * gateway sends to the lowest number first and falls over to the next group) and a `weight`
 * (0–100, the split inside one priority group). Read and written through
 * `@azure/arm-apimanagement` behind the small {@link BackendPoolApi} seam shift-backend-pool uses;
 * every write is a PATCH with the ETag the plan read (`If-Match`), so a pool changed meanwhile
 * answers 412 Precondition Failed instead of being overwritten.
 */

/** An API Management backend id (the last segment of its ARM id), as the portal allows them. */
export const backendName = z
  .string()
  .max(80)
  .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]*$/, 'must be an API Management backend id such as aoai-eastus2');

/** One pool member as the API returns it; unset weight or priority read as `null`. */
export const poolMember = z.object({
  id: z.string().min(1),
  priority: z.number().int().min(0).max(100).nullable(),
  weight: z.number().int().min(0).max(100).nullable(),
});
export type PoolMember = z.infer<typeof poolMember>;

/** A backend pool with the ETag it was read at. */
export const backendPool = z.object({
  name: z.string(),
  services: z.array(poolMember),
  etag: z.string().min(1),
});
export type BackendPool = z.infer<typeof backendPool>;

/** `/subscriptions/…/service/apim/backends/aoai-eastus2` (or `/backends/aoai-eastus2`) → `aoai-eastus2`. */
export function memberBackend(id: string): string | undefined {
  const m = /\/backends\/([^/]+)$/i.exec(id);
  return m && backendName.safeParse(m[1]).success ? m[1] : undefined;
}

export interface BackendPoolApi {
  /** The API Management instance, for plans (`rg-ai/apim-ai-prod`). */
  service: string;
  /** Reads a pool and its ETag; a backend that is not a pool is refused. */
  get(pool: string): Promise<BackendPool>;
  /** The pool's current ETag (HEAD), without its body. */
  etag(pool: string): Promise<string>;
  /** A backend's runtime URL (the Azure OpenAI endpoint a member sends to), or undefined when there is no such backend. */
  backendUrl(backend: string): Promise<string | null | undefined>;
  /** PATCHes the pool's members with `If-Match: ifMatch`; 412 when the pool changed since. */
  update(pool: string, services: readonly PoolMember[], ifMatch: string): Promise<BackendPool>;
}

/** Which API Management instance the bot may change, from configuration. */
export const apimService = z.object({
  subscriptionId: z.string().regex(/^[0-9a-fA-F-]{36}$/, 'must be a subscription id (UUID)'),
  resourceGroup: z.string().min(1),
  service: z.string().min(1),
});
export type ApimService = z.infer<typeof apimService>;

export interface BackendPoolOptions {
  apim: ApimService;
  /** `https://management.azure.com` in Azure; a local HTTPS server in tests. */
  endpoint: string;
  /** Azure identity for Resource Manager (DefaultAzureCredential in production). */
  credential: TokenCredential;
  /** Extra CA certificate(s) to trust (tests' self-signed server). */
  ca?: string;
  maxRetries?: number;
}

/** The SDK's RestError (core-rest-pipeline names it so; that package is not a direct dependency). */
function isRestError(err: unknown): err is Error & { statusCode?: number; code?: string } {
  return err instanceof Error && err.name === 'RestError';
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

/** What the SDK's flattened model holds of a pool (`typePropertiesType` is `properties.type`). */
const sdkPool = z.object({
  name: z.string().optional(),
  typePropertiesType: z.string().optional(),
  pool: z
    .object({
      services: z
        .array(
          z.object({
            id: z.string(),
            priority: z.number().nullish(),
            weight: z.number().nullish(),
          }),
        )
        .optional(),
    })
    .optional(),
  eTag: z.string().optional(),
});

function fromSdk(pool: string, raw: unknown): BackendPool {
  const sdk = sdkPool.parse(raw);
  if (sdk.typePropertiesType?.toLowerCase() !== 'pool')
    throw new ExecutorError(
      'NOT_A_POOL',
      `backend ${pool} is not a pool (type ${sdk.typePropertiesType})`,
      400,
    );
  if (!sdk.eTag) throw new ExecutorError('NO_ETAG', `backend ${pool} came back without an ETag`, undefined);
  return backendPool.parse({
    name: sdk.name ?? pool,
    etag: sdk.eTag,
    services: (sdk.pool?.services ?? []).map((s) => ({
      id: s.id,
      priority: s.priority ?? null,
      weight: s.weight ?? null,
    })),
  });
}

/** The backend pools of one API Management instance through the API Management SDK. */
export function createBackendPoolApi(options: BackendPoolOptions): BackendPoolApi {
  const { subscriptionId, resourceGroup, service } = options.apim;
  const client = new ApiManagementClient(options.credential, subscriptionId, {
    endpoint: options.endpoint,
    ...(options.ca ? { tlsOptions: { ca: options.ca } } : {}),
    retryOptions: { maxRetries: options.maxRetries ?? 3 },
  });
  const backends = client.backend;
  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ExecutorError) throw err;
      if (err instanceof z.ZodError)
        throw new ExecutorError('ARM_UNEXPECTED_RESPONSE', `${what}: ${z.prettifyError(err)}`, undefined, {
          cause: err,
        });
      throw toExecutorError(what, err);
    }
  }
  return {
    service: `${resourceGroup}/${service}`,
    get: (pool) =>
      call(`read backend pool ${pool}`, async () =>
        fromSdk(pool, await backends.get(resourceGroup, service, pool)),
      ),
    etag: (pool) =>
      call(`read the ETag of backend pool ${pool}`, async () => {
        const head = await backends.getEntityTag(resourceGroup, service, pool);
        if (!head.eTag) throw new ExecutorError('NO_ETAG', `backend ${pool} has no ETag`, undefined);
        return head.eTag;
      }),
    backendUrl: (backend) =>
      call(`look up backend ${backend}`, async () => {
        try {
          return (await backends.get(resourceGroup, service, backend)).url ?? null;
        } catch (err) {
          if (isRestError(err) && err.statusCode === 404) return undefined;
          throw err;
        }
      }),
    update: (pool, services, ifMatch) =>
      call(`update backend pool ${pool}`, async () => {
        // Only the members are sent: a PATCH leaves the pool's other properties as they are.
        const members = services.map((s) => ({
          id: s.id,
          ...(s.priority === null ? {} : { priority: s.priority }),
          ...(s.weight === null ? {} : { weight: s.weight }),
        }));
        const updated = await backends.update(resourceGroup, service, pool, ifMatch, {
          pool: { services: members },
        });
        return fromSdk(pool, updated);
      }),
  };
}
