import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComputeUsagesApi, isGpuFamily } from '../../../queries/azure-quota/compute-usages.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import { startComputeUsagesServer, type UsageRow } from '../../servers/compute-usages.ts';
import { armCredential } from '../remediation/arm-server.ts';

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');

const row = (value: string, localizedValue: string, currentValue: number, limit: number): UsageRow => ({
  name: { value, localizedValue },
  currentValue,
  limit,
  unit: 'Count',
});

describe.skipIf(!haveOpenssl)(
  'Compute usages through @azure/arm-compute against a local HTTPS Resource Manager',
  () => {
    let arm: Awaited<ReturnType<typeof startComputeUsagesServer>>;
    beforeAll(async () => {
      arm = await startComputeUsagesServer(SUBSCRIPTION, {
        eastus2: [
          row('cores', 'Total Regional vCPUs', 832, 2000),
          row('standardNDSH100v5Family', 'Standard NDSH100v5 Family vCPUs', 768, 1152),
          row('standardDSv5Family', 'Standard DSv5 Family vCPUs', 64, 500),
          row('standardNCADSA100v4Family', 'Standard NCADS_A100_v4 Family vCPUs', 0, 96),
          row('availabilitySets', 'Availability Sets', 3, 2500),
        ],
      });
    });
    afterAll(() => arm?.close());

    const api = (token?: string) =>
      createComputeUsagesApi({
        subscriptionId: SUBSCRIPTION,
        endpoint: arm.url,
        credential: armCredential(token),
        ca: arm.ca,
        maxRetries: 0,
      });

    it('reads every page of a region and keeps the GPU families', async () => {
      const { region, usages } = await api().list('eastus2');
      expect(region).toBe('eastus2');
      expect(usages).toHaveLength(5);
      expect(usages.filter(isGpuFamily).map((u) => [u.name.value, u.currentValue, u.limit])).toEqual([
        ['standardNDSH100v5Family', 768, 1152],
        ['standardNCADSA100v4Family', 0, 96],
      ]);
      // Three pages of two: the SDK followed nextLink.
      expect(arm.requests.filter((r) => r.includes('/locations/eastus2/usages'))).toHaveLength(3);
      expect(arm.requests[0]).toMatch(/api-version=\d{4}-\d{2}-\d{2}/);
    });

    it('says which region failed and ARM’s code, without the token', async () => {
      const err = (await api()
        .list('westus9')
        .catch((e: unknown) => e)) as Error & { code: string };
      expect(err.code).toBe('ARM_404');
      expect(err.message).toBe('compute usages of westus9: LocationNotAvailableForResourceType (HTTP 404)');
      const denied = (await api('wrong')
        .list('eastus2')
        .catch((e: unknown) => e)) as Error & { code: string };
      expect(denied.code).toBe('ARM_401');
      expect(denied.message).not.toContain('wrong');
    });

    it('refuses a region name that is not one before any request', async () => {
      const before = arm.requests.length;
      await expect(api().list('east us/../x')).rejects.toThrow();
      expect(arm.requests.length).toBe(before);
    });
  },
);
