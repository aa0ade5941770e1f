import type { ComputeUsage, ComputeUsagesApi } from '../queries/azure-quota/compute-usages.ts';

/** vCPUs of one Standard_ND96isr_H100_v5, the simulated fleet's VM size. */
const ND_H100_VCPUS = 96;

function usage(value: string, localizedValue: string, currentValue: number, limit: number): ComputeUsage {
  return { name: { value, localizedValue }, currentValue, limit, unit: 'Count' };
}

/**
 * The local mode's Compute usages, consistent with the simulated cluster: its GPU nodes are
 * ND H100 v5 VMs in eastus2, so that family's vCPU use is the node count × 96 against a quota
 * of twelve such VMs; a second region holds a small A100 inference quota, barely used.
 */
export function simulatedComputeUsages(gpuNodes: () => number): ComputeUsagesApi {
  return {
    async list(region) {
      const nodes = gpuNodes();
      if (region === 'eastus2')
        return {
          region,
          usages: [
            usage('cores', 'Total Regional vCPUs', nodes * ND_H100_VCPUS + 64, 2_000),
            usage(
              'standardNDSH100v5Family',
              'Standard NDSH100v5 Family vCPUs',
              nodes * ND_H100_VCPUS,
              12 * ND_H100_VCPUS,
            ),
            usage('standardNCADSA100v4Family', 'Standard NCADS_A100_v4 Family vCPUs', 0, 96),
            usage('standardDSv5Family', 'Standard DSv5 Family vCPUs', 64, 500),
          ],
        };
      if (region === 'swedencentral')
        return {
          region,
          usages: [
            usage('cores', 'Total Regional vCPUs', 48, 350),
            usage('standardNCADSA100v4Family', 'Standard NCADS_A100_v4 Family vCPUs', 24, 96),
          ],
        };
      return { region, usages: [] };
    },
  };
}
