import { Agent } from 'node:https';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { METRIC_CATALOG } from '../../../queries/azure-metrics/catalog.ts';
import { createAzureMetricsBackend } from '../../../queries/backends/azure-metrics-backend.ts';
import { createAzureMonitorMetricsSource } from '../../../queries/backends/azure-monitor-metrics.ts';
import { createSimulatedAzureMetrics } from '../../../sim/telemetry/simulated-azure-metrics.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import { type AzureMetricsServer, startAzureMetricsServer } from '../../servers/azure-metrics.ts';
import { makeCertificate } from '../remediation/arm-server.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
const SUBSCRIPTION = '1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d';
const RESOURCE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/ai-prod/providers/Microsoft.CognitiveServices/accounts/oai-prod-eastus2`;
const TOKEN = 'metrics-token-from-the-identity-5c2a';

/** A credential that hands out the server's token, as managed identity would. */
const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe.skipIf(!haveOpenssl)('Azure Monitor metrics through @azure/monitor-query-metrics', () => {
  const start = Date.parse('2026-11-28T09:00:00Z');
  // One minute after the scenario start: the 429 storm on gpt-4o ran from 15 minutes before it.
  const clock = new ManualClock(start + 60_000);
  const simulated = createSimulatedAzureMetrics({ clock, startMs: start });
  let server: AzureMetricsServer;
  let agent: Agent;

  beforeAll(async () => {
    const tls = makeCertificate();
    server = await startAzureMetricsServer({
      tls,
      token: TOKEN,
      identityHeader: 'unused-here',
      answer: (_id, request) => simulated.fetch(request),
    });
    agent = new Agent({ ca: tls.cert });
  });
  afterAll(async () => {
    agent?.destroy();
    await server?.close();
  });

  const azure = () =>
    createAzureMetricsBackend(
      createAzureMonitorMetricsSource({ endpoint: server.url, resourceIds: [RESOURCE], credential, agent }),
      METRIC_CATALOG,
      () => clock.now(),
    );
  const local = () => createAzureMetricsBackend(simulated, METRIC_CATALOG, () => clock.now());

  it('sends the vetted request the service documents: batch path, names, grain, filter, token', async () => {
    await azure().run('aoai-requests-by-status', { deployment: 'gpt-4o', window: '1h', interval: '5m' });
    const seen = server.requests.at(-1)!;
    expect(seen.subscriptionId).toBe(SUBSCRIPTION);
    expect(seen.auth).toBe(`Bearer ${TOKEN}`);
    expect(seen.resourceIds).toEqual([RESOURCE]);
    expect(seen.query).toMatchObject({
      'api-version': '2024-02-01',
      metricnamespace: 'Microsoft.CognitiveServices/accounts',
      metricnames: 'AzureOpenAIRequests',
      aggregation: 'total',
      interval: 'PT5M',
      filter: "ModelDeploymentName eq 'gpt-4o' and StatusCode eq '*'",
      top: '200',
      starttime: new Date(clock.now() - 3_600_000).toISOString(),
      endtime: new Date(clock.now()).toISOString(),
    });
  });

  it.each([...METRIC_CATALOG.keys()])(
    '%s: the SDK path reads back exactly the series the resource has',
    async (id) => {
      const params = { window: '1h' };
      const viaSdk = await azure().run(id, params);
      const direct = await local().run(id, params);
      expect(viaSdk.result.columns).toEqual(direct.result.columns);
      expect(viaSdk.result.rows).toEqual(direct.result.rows);
      if (id !== 'aoai-spillover') expect(viaSdk.result.rows.length).toBeGreaterThan(0);
      expect(viaSdk.text).toContain(RESOURCE);
    },
  );

  it('shows the 429 storm on gpt-4o as status 429 and as a saturated PTU deployment', async () => {
    const status = await local().run('aoai-requests-by-status', {
      deployment: 'gpt-4o',
      window: '30m',
      interval: '5m',
    });
    const throttled = status.result.rows.filter((r) => r[2] === '429');
    expect(throttled.length).toBeGreaterThan(0);
    // The storm throttles about 30 % of gpt-4o's requests.
    expect(Math.max(...throttled.map((r) => Number(r[4])))).toBeGreaterThan(20);
    const ptu = await local().run('aoai-ptu-utilization', { window: '30m', interval: '5m' });
    expect(new Set(ptu.result.rows.map((r) => r[1]))).toEqual(new Set(['gpt-4o']));
    expect(Math.max(...ptu.result.rows.map((r) => Number(r[2])))).toBe(100);
    // Before the storm the deployment had headroom.
    const before = await local().run('aoai-ptu-utilization', {
      start: new Date(start - 3 * 3_600_000).toISOString(),
      end: new Date(start - 2 * 3_600_000).toISOString(),
      interval: '15m',
    });
    expect(Math.max(...before.result.rows.map((r) => Number(r[2])))).toBeLessThan(100);
  });

  it('refuses parameters the schema does not allow, naming them, before any request', async () => {
    const sent = server.requests.length;
    await expect(azure().run('aoai-requests-by-status', { interval: '7m' })).rejects.toThrow(
      /interval.*1m, 5m, 15m/,
    );
    await expect(
      azure().run('aoai-requests-by-status', { deployment: "gpt-4o' or ModelDeploymentName eq '*" }),
    ).rejects.toThrow(/deployment/);
    await expect(azure().run('aoai-requests-by-status', { window: '10d' })).rejects.toThrow(/window/);
    await expect(azure().run('aoai-nope', {})).rejects.toThrow(/aoai-requests-by-status/);
    expect(server.requests.length).toBe(sent);
  });

  it('reports a refused request with the service code and no token', async () => {
    const backend = createAzureMetricsBackend(
      createAzureMonitorMetricsSource({
        endpoint: server.url,
        resourceIds: [RESOURCE],
        credential: {
          getToken: async () => ({ token: 'stale-token-9f1e', expiresOnTimestamp: Date.now() + 60_000 }),
        },
        agent,
      }),
      METRIC_CATALOG,
      () => clock.now(),
    );
    const err = await backend.run('aoai-token-volume', {}).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /Azure Monitor metrics query \(ProcessedPromptTokens, GeneratedTokens\) failed/,
    );
    expect((err as Error).message).not.toContain('stale-token-9f1e');
  });
});
