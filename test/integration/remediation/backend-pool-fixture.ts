import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type BackendPoolApi, createBackendPoolApi } from '../../../remediation/executors/apim-backends.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import {
  type ApimBackendServer,
  type ApimBackendState,
  startApimBackendServer,
} from '../../servers/apim-backends.ts';
import { startManagedIdentityEndpoint } from '../../servers/managed-identity.ts';
import { makeCertificate } from './arm-server.ts';
import { alice, type FlowHarness, place, startFlow } from './harness.ts';

export const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
export const TOKEN = 'arm-token-from-managed-identity-93d1';
export const IDENTITY_HEADER = 'app-service-identity-secret-5a0c';
export const APIM = {
  subscriptionId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  resourceGroup: 'rg-ai-gateway',
  service: 'apim-ai-prod',
};
export const POOL = 'aoai-pool';
export const PRIMARY = 'aoai-ptu-eastus2';
const POLICY = {
  apim: { resourceGroup: APIM.resourceGroup, service: APIM.service, pools: { [POOL]: { primary: PRIMARY } } },
};

/** The gateway's pool as a team builds it: the PTU deployment first, pay-as-you-go behind it. */
export function seedBackends(
  idOf: (name: string) => string,
): Record<string, Omit<ApimBackendState, 'etagSeq'>> {
  return {
    [PRIMARY]: { type: 'Single' },
    'aoai-paygo-eastus2': { type: 'Single' },
    'aoai-paygo-sweden': { type: 'Single' },
    [POOL]: {
      type: 'Pool',
      services: [
        { id: idOf(PRIMARY), priority: 1, weight: 100 },
        { id: idOf('aoai-paygo-eastus2'), priority: 2, weight: 50 },
        { id: idOf('aoai-paygo-sweden'), priority: 2, weight: 50 },
      ],
    },
  };
}

/** What each test of the shift-backend-pool suites gets afresh. */
export interface ApimFlow {
  /** The managed-identity endpoint (per suite): which resources tokens were asked for. */
  identity: Awaited<ReturnType<typeof startManagedIdentityEndpoint>>;
  server: ApimBackendServer;
  api: BackendPoolApi;
  h: FlowHarness;
}

/**
 * Registers the hooks of a shift-backend-pool suite: a local managed-identity endpoint that
 * DefaultAzureCredential finds from the environment, as in Azure (per suite), and per test a
 * local API Management backend API seeded with the pool, the bot's client of it and the approval
 * flow. `fresh` receives each test's parts.
 */
export function useApimFlow(tls: ReturnType<typeof makeCertificate>, fresh: (flow: ApimFlow) => void): void {
  let identity: Awaited<ReturnType<typeof startManagedIdentityEndpoint>>;
  let flow: ApimFlow | undefined;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  beforeAll(async () => {
    identity = await startManagedIdentityEndpoint({ token: TOKEN, identityHeader: IDENTITY_HEADER });
    process.env.IDENTITY_ENDPOINT = identity.url;
    process.env.IDENTITY_HEADER = IDENTITY_HEADER;
  });
  afterAll(async () => {
    for (const [key, value] of [
      ['IDENTITY_ENDPOINT', saved.endpoint],
      ['IDENTITY_HEADER', saved.header],
    ] as const)
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    await identity?.close();
  });
  beforeEach(async () => {
    const base = `/subscriptions/${APIM.subscriptionId}/resourceGroups/${APIM.resourceGroup}/providers/Microsoft.ApiManagement/service/${APIM.service}/backends/`;
    const server = await startApimBackendServer({
      tls,
      token: TOKEN,
      ...APIM,
      backends: seedBackends((name) => base + name),
    });
    const api = createBackendPoolApi({
      apim: APIM,
      endpoint: server.url,
      credential: new DefaultAzureCredential(),
      ca: server.ca,
      maxRetries: 0,
    });
    flow = { identity, server, api, h: await startFlow(POLICY, { backendPools: api }) };
    fresh(flow);
  });
  afterEach(async () => {
    await flow?.h.close();
    await flow?.server.close();
  });
}

/** Proposes shift-backend-pool as alice, outside any incident. */
export const proposeShift = (
  h: FlowHarness,
  params: Record<string, unknown>,
  extra: { rollbackOf?: number } = {},
) =>
  h.service.propose({
    actionId: 'shift-backend-pool',
    params,
    user: alice,
    place,
    incidentId: null,
    ...extra,
  });

export { makeCertificate };
