import { Agent } from 'node:https';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_CATALOG } from '../../../queries/azure-metrics/catalog.ts';
import type { MetricRequest, MetricSeries } from '../../../queries/azure-metrics/metric-request.ts';
import { createAzureMetricsBackend } from '../../../queries/backends/azure-metrics-backend.ts';
import { createAzureMonitorMetricsSource } from '../../../queries/backends/azure-monitor-metrics.ts';
import { createLocalLogsBackend } from '../../../queries/backends/local-logs.ts';
import type { LogsBackend } from '../../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { KqlEngine } from '../../../queries/engine/engine.ts';
import { APP_REQUESTS } from '../../../queries/engine/table-schemas.ts';
import { sharesOf } from '../../../remediation/backend-pool-weights.ts';
import { createMetricsThrottleReader } from '../../../remediation/executors/throttle-metrics.ts';
import { createLogsThrottleReader } from '../../../remediation/executors/throttle-rate.ts';
import type { ApimBackendServer } from '../../servers/apim-backends.ts';
import { type AzureMetricsServer, startAzureMetricsServer } from '../../servers/azure-metrics.ts';
import {
  APIM,
  type ApimFlow,
  haveOpenssl,
  IDENTITY_HEADER,
  makeCertificate,
  POOL,
  PRIMARY,
  proposeShift,
  seedBackends,
  TOKEN,
  useApimFlow,
} from './backend-pool-fixture.ts';
import { alice, bob, type FlowHarness, refusal } from './harness.ts';

const MINUTE = 60_000;
const PER_MINUTE = 200;
const AOAI_RESOURCE = `/subscriptions/${APIM.subscriptionId}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-prod-eastus2`;

/**
 * Azure OpenAI behind the gateway: PER_MINUTE requests a minute, of which the primary answers 429
 * to whatever exceeds its capacity (`capacityPercent` of the traffic), its share read from the
 * server's pool as the minutes pass, so a real shift lowers the 429 rate. Two views of the same
 * minutes: the app's requests in Log Analytics (the vetted throttle-rate query) and the resource's
 * own AzureOpenAIRequests metric split by StatusCode (aoai-requests-by-status), which also counts
 * the retries the SDK made before the app logged one request (`retries` extra 429s a minute while
 * throttled) and a client that calls the deployment directly, around the gateway (`bypass`
 * requests a minute, all throttled).
 */
function gatewayWorld(
  h: FlowHarness,
  server: ApimBackendServer,
  capacityPercent: number,
  resource: { retries?: number; bypass?: number } = {},
) {
  const { retries = 0, bypass = 0 } = resource;
  const minutes = new Map<number, number>();
  const engine = new KqlEngine({ now: () => h.sim.clock.now() });
  const local = createLocalLogsBackend({ engine, catalog: KQL_CATALOG });
  const rows: Record<string, unknown>[] = [];
  let until = Math.floor(h.sim.clock.now() / MINUTE) * MINUTE - 30 * MINUTE;
  const advance = () => {
    const services = server.backends.get(POOL)!.services!;
    const members = services.map((s) => ({
      backend: s.id.split('/').at(-1)!,
      id: s.id,
      priority: s.priority ?? null,
      weight: s.weight ?? null,
    }));
    const primary = sharesOf(members)[PRIMARY] ?? 0;
    const throttled = Math.round((PER_MINUTE * Math.max(0, primary - capacityPercent)) / 100);
    for (const end = Math.floor(h.sim.clock.now() / MINUTE) * MINUTE; until < end; until += MINUTE) {
      minutes.set(until, throttled);
      for (let i = 0; i < PER_MINUTE; i++)
        rows.push({
          TimeGenerated: until + i * 250,
          Name: 'POST /chat/completions',
          Success: i >= throttled,
          ResultCode: i < throttled ? '429' : '200',
          DurationMs: 100,
          Properties: { deployment: 'gpt-4o' },
          AppRoleName: 'chat-api',
          ItemCount: 1,
        });
    }
    engine.loadRows(APP_REQUESTS, rows);
  };
  advance();
  const logs: LogsBackend = {
    kind: local.kind,
    catalog: local.catalog,
    async run(id, params, options) {
      advance();
      return local.run(id, params, options);
    },
  };
  /** The resource's AzureOpenAIRequests series for one metrics:getBatch request. */
  const series = (request: MetricRequest): MetricSeries[] => {
    advance();
    const from = request.startTime.getTime();
    const to = request.endTime.getTime();
    const at = [...minutes.keys()].filter((m) => m >= from && m < to).sort((a, b) => a - b);
    const status = (code: string, value: (throttled: number) => number): MetricSeries => ({
      metric: 'AzureOpenAIRequests',
      dimensions: { ModelDeploymentName: 'gpt-4o', StatusCode: code },
      points: at.map((m) => ({ at: m, values: { total: value(minutes.get(m)!) } })),
    });
    const throttledOf = (t: number) => (t > 0 ? t + retries : 0) + bypass;
    return [status('200', (t) => PER_MINUTE - t), status('429', throttledOf)];
  };
  return { logs, series };
}
describe.skipIf(!haveOpenssl)('shift-backend-pool against a local API Management backend API', () => {
  const tls = haveOpenssl ? makeCertificate() : { key: '', cert: '' };
  let server: ApimBackendServer;
  let identity: ApimFlow['identity'];
  let h: FlowHarness;
  useApimFlow(tls, (f) => {
    ({ server, identity, h } = f);
  });
  const propose = (params: Record<string, unknown>, extra: { rollbackOf?: number } = {}) =>
    proposeShift(h, params, extra);
  let metrics: AzureMetricsServer;
  let answer: (request: MetricRequest) => MetricSeries[] = () => [];
  beforeAll(async () => {
    metrics = await startAzureMetricsServer({
      tls,
      token: TOKEN,
      identityHeader: IDENTITY_HEADER,
      answer: async (_id, request) => answer(request),
    });
  });
  afterAll(async () => {
    await metrics?.close();
  });

  /** The resource's 429 count through @azure/monitor-query-metrics and the local metrics API. */
  const resourceThrottle = () =>
    createMetricsThrottleReader(
      createAzureMetricsBackend(
        createAzureMonitorMetricsSource({
          endpoint: metrics.url,
          resourceIds: [AOAI_RESOURCE],
          credential: new DefaultAzureCredential(),
          agent: new Agent({ ca: tls.cert }),
        }),
        METRIC_CATALOG,
        () => h.sim.clock.now(),
      ),
      'gpt-4o',
    );

  it('proposal → four-eyes approval → PATCH with If-Match → 429 rate drops → rollback restores the weights', async () => {
    const world = gatewayWorld(h, server, 60, { retries: 40 });
    answer = world.series;
    h.deps.throttle = createLogsThrottleReader(world.logs, h.sim.clock, 'gpt-4o');
    h.deps.resourceThrottle = resourceThrottle();
    const etag = server.etagOf(POOL);
    const p = await propose({ pool: POOL, to: 'aoai-paygo-sweden', percent: '50' });
    expect(p.plan.targets).toEqual([
      { kind: 'ApiManagementBackendPool', namespace: null, name: POOL, resourceVersion: etag },
    ]);
    expect(p.plan.summary).toBe(
      `Route the ${APIM.resourceGroup}/${APIM.service} backend pool ${POOL}: aoai-ptu-eastus2 50%, aoai-paygo-eastus2 0%, aoai-paygo-sweden 50%`,
    );
    expect(p.plan.diff).toEqual([
      'aoai-ptu-eastus2: priority 1, weight 100 → 50 (100% → 50% of traffic)',
      'aoai-paygo-eastus2: priority 2, weight 50 (0% → 0% of traffic)',
      'aoai-paygo-sweden: priority 2 → 1, weight 50 (0% → 50% of traffic)',
    ]);
    expect(p.plan.notes[0]).toBe(
      `Members: ${[PRIMARY, 'aoai-paygo-eastus2', 'aoai-paygo-sweden'].map((b) => `${b} → https://${b}.openai.azure.com/openai`).join('; ')}`,
    );
    expect(p.dryRun?.detail).toEqual([
      `pool ${POOL} unchanged since it was read (ETag ${etag})`,
      'all 3 member backends exist; API Management has no what-if for backends',
    ]);
    expect(server.writes).toEqual([]);
    // The proposer cannot approve their own plan.
    expect(
      (await refusal(h.service.approve({ proposalId: p.id, planHash: p.planHash, user: alice }))).code,
    ).toBe('SELF_APPROVAL');
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    await h.service.idle();
    const done = (await h.repo.getProposal(p.id))!;
    expect(done.status).toBe('succeeded');
    expect(done.result?.detail).toEqual([
      `backend pool ${POOL} reads aoai-ptu-eastus2 50%, aoai-paygo-eastus2 0%, aoai-paygo-sweden 50%`,
      expect.stringMatching(/^app logs: 429 rate 40\.0% → 0\.0% \(\d+ requests since\)$/),
      expect.stringMatching(/^resource metrics: 429 rate 50\.0% → 0\.0% \(\d+ requests since\)$/),
    ]);
    expect(server.writes).toEqual([
      {
        method: 'PATCH',
        backend: POOL,
        ifMatch: etag,
        status: 200,
        body: {
          properties: {
            pool: {
              services: [
                { id: server.idOf(PRIMARY), priority: 1, weight: 50 },
                { id: server.idOf('aoai-paygo-eastus2'), priority: 2, weight: 50 },
                { id: server.idOf('aoai-paygo-sweden'), priority: 1, weight: 50 },
              ],
            },
          },
        },
      },
    ]);
    // The tokens came from the managed-identity endpoint: for Resource Manager (here: the local
    // one) and for Azure Monitor, whose batch API was asked for one-minute 429 counts.
    expect(identity.tokenRequests).toContain(server.url);
    expect(metrics.requests.at(-1)).toMatchObject({
      auth: `Bearer ${TOKEN}`,
      resourceIds: [AOAI_RESOURCE],
      query: {
        metricnames: 'AzureOpenAIRequests',
        interval: 'PT1M',
        filter: "ModelDeploymentName eq 'gpt-4o' and StatusCode eq '*'",
      },
    });

    const back = await propose(p.plan.rollback.params, { rollbackOf: p.id });
    expect(back.plan.diff[0]).toBe('aoai-ptu-eastus2: priority 1, weight 50 → 100 (50% → 100% of traffic)');
    await h.service.approve({ proposalId: back.id, planHash: back.planHash, user: bob });
    await h.service.idle();
    expect((await h.repo.getProposal(back.id))?.status).toBe('succeeded');
    expect((await h.repo.getProposal(p.id))?.status).toBe('rolled-back');
    expect(server.backends.get(POOL)?.services).toEqual(seedBackends(server.idOf)[POOL]!.services);
    expect(server.writes.map((w) => [w.method, w.status, w.ifMatch === '*'])).toEqual([
      ['PATCH', 200, false],
      ['PATCH', 200, false],
    ]);
    const events = (await h.repo.readAuditChain()).map((r) => r.event);
    expect(events.filter((e) => e === 'executed' || e === 'verified' || e === 'rolled-back')).toEqual([
      'executed',
      'verified',
      'executed',
      'verified',
      'rolled-back',
    ]);
  });

  it('verification fails when the resource still throttles (a client around the gateway), and offers the rollback', async () => {
    const world = gatewayWorld(h, server, 60, { bypass: 400 });
    answer = world.series;
    h.deps.throttle = createLogsThrottleReader(world.logs, h.sim.clock, 'gpt-4o');
    h.deps.resourceThrottle = resourceThrottle();
    const p = await propose({ pool: POOL, to: 'aoai-paygo-sweden', percent: '50' });
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    await h.service.idle();
    const failed = (await h.repo.getProposal(p.id))!;
    expect(failed.status).toBe('verify-failed');
    expect(failed.result?.detail).toEqual([
      expect.stringContaining('reads aoai-ptu-eastus2 50%'),
      expect.stringMatching(/^app logs: 429 rate 40\.0% → 0\.0%/),
      expect.stringMatching(/^resource metrics: 429 rate 80\.0% → 66\.7% .*not dropping$/),
    ]);
    const events = (await h.repo.readAuditChain()).map((r) => r.event);
    expect(events.slice(-2)).toEqual(['verify-failed', 'rollback-offered']);
  });

  it('guardrails: only the policy’s pools, and the primary keeps its minimum share', async () => {
    const outside = await refusal(propose({ pool: 'other-pool', percent: '50' }));
    expect(outside.message).toBe(
      `Refused by guardrail: backend pool "other-pool" is not one the policy allows (${POOL}).`,
    );
    const tooFar = await refusal(propose({ pool: POOL, to: 'aoai-paygo-sweden', percent: '90' }));
    expect(tooFar.message).toBe(
      'Refused by guardrail: the primary aoai-ptu-eastus2 would keep 10% of the traffic; the minimum is 20%.',
    );
    const chain = await h.repo.readAuditChain();
    expect(chain.map((r) => [r.event, r.result])).toEqual([
      ['proposal-refused', 'GUARDRAIL'],
      ['proposal-refused', 'GUARDRAIL'],
    ]);
  });
});
