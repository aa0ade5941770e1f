import { ComputeManagementClient, isRestError } from '@azure/arm-compute';
import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';

/**
 * Compute quota of a subscription per region (`Microsoft.Compute/locations/{region}/usages`)
 * through `@azure/arm-compute`: vCPUs in use against the limit, per VM family. GPU capacity is
 * bounded by these family quotas (ND H100 v5, ND A100 v4, NC …) long before Kubernetes sees it.
 */

/** An Azure region name as ARM spells it (`westeurope`, `eastus2`). */
export const azureRegion = z.string().regex(/^[a-z][a-z0-9]{2,40}$/, 'an Azure region name, like eastus2');

/** One usage row as the bot reads it (the SDK's model, checked). */
export const computeUsage = z.object({
  name: z.object({ value: z.string().min(1), localizedValue: z.string().optional() }),
  currentValue: z.number().int().nonnegative(),
  limit: z.number().int().nonnegative(),
  unit: z.string(),
});
export type ComputeUsage = z.infer<typeof computeUsage>;

/** Quota rows of one region. */
export interface RegionUsages {
  region: string;
  usages: ComputeUsage[];
}

/** What the capacity view reads: the usages of a region. */
export interface ComputeUsagesApi {
  list(region: string): Promise<RegionUsages>;
}

/** GPU VM families: ND (training), NC (inference), NV (visualisation), with or without a SKU suffix. */
const GPU_FAMILY = /^standardN[CDV]/i;

/** Whether a usage row is a GPU VM family's vCPU quota. */
export function isGpuFamily(u: ComputeUsage): boolean {
  return GPU_FAMILY.test(u.name.value) && /family$/i.test(u.name.value);
}

export interface ComputeUsagesOptions {
  subscriptionId: string;
  /** `https://management.azure.com` in Azure; a local HTTPS server in tests. */
  endpoint: string;
  credential: TokenCredential;
  /** Extra CA certificate(s) to trust (tests' self-signed server). */
  ca?: string;
  maxRetries?: number;
}

/** The usages API of a subscription through the SDK; failures carry ARM's status and code. */
export function createComputeUsagesApi(options: ComputeUsagesOptions): ComputeUsagesApi {
  const client = new ComputeManagementClient(options.credential, options.subscriptionId, {
    endpoint: options.endpoint,
    ...(options.ca ? { tlsOptions: { ca: options.ca } } : {}),
    retryOptions: { maxRetries: options.maxRetries ?? 3 },
  });
  return {
    async list(region) {
      const usages: ComputeUsage[] = [];
      try {
        for await (const u of client.usage.list(azureRegion.parse(region)))
          usages.push(computeUsage.parse(u));
      } catch (err) {
        if (isRestError(err) && err.statusCode !== undefined)
          throw new AppError(
            `ARM_${err.statusCode}`,
            `compute usages of ${region}: ${err.code ?? 'error'} (HTTP ${err.statusCode})`,
            { cause: err },
          );
        throw new AppError('ARM_USAGES_FAILED', `compute usages of ${region} could not be read`, {
          cause: err,
        });
      }
      return { region, usages };
    },
  };
}
