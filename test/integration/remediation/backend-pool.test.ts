import { Agent, request as httpsRequest } from 'node:https';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { plan as planSchema } from '../../../core/remediation/plan.ts';
import { METRIC_CATALOG } from '../../../queries/azure-metrics/catalog.ts';
import type { MetricRequest, MetricSeries } from '../../../queries/azure-metrics/metric-request.ts';
import { createAzureMetricsBackend } from '../../../queries/backends/azure-metrics-backend.ts';
import { createAzureMonitorMetricsSource } from '../../../queries/backends/azure-monitor-metrics.ts';
import { createLocalLogsBackend } from '../../../queries/backends/local-logs.ts';
import type { LogsBackend } from '../../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { KqlEngine } from '../../../queries/engine/engine.ts';
import { APP_REQUESTS } from '../../../queries/engine/table-schemas.ts';
import { shiftBackendPool } from '../../../remediation/actions/shift-backend-pool.ts';
import { membersOf, sharesOf } from '../../../remediation/backend-pool-weights.ts';
import { ExecutorError } from '../../../remediation/errors.ts';
import { type BackendPoolApi, createBackendPoolApi } from '../../../remediation/executors/apim-backends.ts';
import { createMetricsThrottleReader } from '../../../remediation/executors/throttle-metrics.ts';
import { createLogsThrottleReader } from '../../../remediation/executors/throttle-rate.ts';
import { actionContext } from '../../../remediation/flow/deps.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import {
  type ApimBackendServer,
  type ApimBackendState,
  startApimBackendServer,
} from '../../servers/apim-backends.ts';
import { type AzureMetricsServer, startAzureMetricsServer } from '../../servers/azure-metrics.ts';
import { startManagedIdentityEndpoint } from '../../servers/managed-identity.ts';
import { makeCertificate } from './arm-server.ts';
import { alice, bob, type FlowHarness, place, postedText, refusal, startFlow } from './harness.ts';

/** One HTTPS request trusting `ca`, for bodies the SDK would refuse to send. */
function rawRequest(
  url: string,
  options: { method: string; ca: string; headers: Record<string, string>; body: string },
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: options.method,
        ca: options.ca,
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
const MINUTE = 60_000;
const PER_MINUTE = 200;
const TOKEN = 'arm-token-from-managed-identity-93d1';
const IDENTITY_HEADER = 'app-service-identity-secret-5a0c';
const APIM = {
  subscriptionId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  resourceGroup: 'rg-ai-gateway',
  service: 'apim-ai-prod',
};
const POOL = 'aoai-pool';
const AOAI_RESOURCE = `/subscriptions/${APIM.subscriptionId}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-prod-eastus2`;
const PRIMARY = 'aoai-ptu-eastus2';
const POLICY = {
  apim: { resourceGroup: APIM.resourceGroup, service: APIM.service, pools: { [POOL]: { primary: PRIMARY } } },
};

/** The gateway's pool as a team builds it: the PTU deployment first, pay-as-you-go behind it. */
function seedBackends(idOf: (name: string) => string): Record<string, Omit<ApimBackendState, 'etagSeq'>> {
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
  let identity: Awaited<ReturnType<typeof startManagedIdentityEndpoint>>;
  let server: ApimBackendServer;
  let api: BackendPoolApi;
  let h: FlowHarness;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  let metrics: AzureMetricsServer;
  let answer: (request: MetricRequest) => MetricSeries[] = () => [];

  beforeAll(async () => {
    identity = await startManagedIdentityEndpoint({ token: TOKEN, identityHeader: IDENTITY_HEADER });
    metrics = await startAzureMetricsServer({
      tls,
      token: TOKEN,
      identityHeader: IDENTITY_HEADER,
      answer: async (_id, request) => answer(request),
    });
    // DefaultAzureCredential finds the App Service managed identity from these, as in Azure.
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
    await metrics?.close();
  });
  beforeEach(async () => {
    const base = `/subscriptions/${APIM.subscriptionId}/resourceGroups/${APIM.resourceGroup}/providers/Microsoft.ApiManagement/service/${APIM.service}/backends/`;
    server = await startApimBackendServer({
      tls,
      token: TOKEN,
      ...APIM,
      backends: seedBackends((name) => base + name),
    });
    api = createBackendPoolApi({
      apim: APIM,
      endpoint: server.url,
      credential: new DefaultAzureCredential(),
      ca: server.ca,
      maxRetries: 0,
    });
    h = await startFlow(POLICY, { backendPools: api });
  });
  afterEach(async () => {
    await h.close();
    await server.close();
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

  const propose = (params: Record<string, unknown>, extra: { rollbackOf?: number } = {}) =>
    h.service.propose({
      actionId: 'shift-backend-pool',
      params,
      user: alice,
      place,
      incidentId: null,
      ...extra,
    });

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

  it('a stale ETag: 412 from the API voids the approval and plans again; the other change stays', async () => {
    const p = await propose({ pool: POOL, to: 'aoai-paygo-sweden', percent: '30' });
    const theirs = [
      { id: server.idOf(PRIMARY), priority: 1, weight: 80 },
      { id: server.idOf('aoai-paygo-eastus2'), priority: 1, weight: 20 },
      { id: server.idOf('aoai-paygo-sweden'), priority: 2, weight: 50 },
    ];
    // Someone else writes between the bot's re-plan and its PATCH.
    server.raceNextWrite(POOL, theirs);
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    await h.service.idle();
    expect((await h.repo.getProposal(p.id))?.status).toBe('void');
    expect(server.writes.map((w) => [w.status, w.ifMatch])).toEqual([
      [412, p.plan.targets[0]!.resourceVersion],
    ]);
    expect(server.backends.get(POOL)?.services).toEqual(theirs);
    expect(postedText(h.posted)).toContain(
      'approval void: the target changed while applying (412 Precondition Failed)',
    );
    const [next] = (await h.repo.listProposals({ limit: 10 })).filter((x) => x.supersedes === p.id);
    expect(next?.status).toBe('pending');
    expect(next?.plan.targets[0]?.resourceVersion).toBe(server.etagOf(POOL));
    expect(next?.plan.diff).toEqual([
      'aoai-ptu-eastus2: priority 1, weight 80 → 56 (80% → 56% of traffic)',
      'aoai-paygo-eastus2: priority 1, weight 20 → 14 (20% → 14% of traffic)',
      'aoai-paygo-sweden: priority 2 → 1, weight 50 → 30 (0% → 30% of traffic)',
    ]);
  });

  it('an approved plan whose pool a deployment pipeline replaced (PUT) since is voided before any write', async () => {
    const p = await propose({ pool: POOL, to: 'aoai-paygo-sweden', percent: '30' });
    // Infrastructure as code redeploys the pool with the SDK's PUT, unconditionally (If-Match: *).
    const pipeline = new ApiManagementClient(new DefaultAzureCredential(), APIM.subscriptionId, {
      endpoint: server.url,
      tlsOptions: { ca: server.ca },
      retryOptions: { maxRetries: 0 },
    });
    const services = [
      { id: server.idOf(PRIMARY), priority: 1, weight: 90 },
      { id: server.idOf('aoai-paygo-sweden'), priority: 1, weight: 10 },
    ];
    const { eTag } = await pipeline.backend.createOrUpdate(
      APIM.resourceGroup,
      APIM.service,
      POOL,
      { typePropertiesType: 'Pool', protocol: 'http', url: 'https://pool.invalid', pool: { services } },
      { ifMatch: '*' },
    );
    expect(eTag).toBe(server.etagOf(POOL));
    expect(server.writes.map((w) => [w.method, w.ifMatch, w.status])).toEqual([['PUT', '*', 200]]);
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    await h.service.idle();
    expect((await h.repo.getProposal(p.id))?.status).toBe('void');
    expect(server.writes).toHaveLength(1);
    expect(server.backends.get(POOL)?.services).toEqual(services);
  });

  it('writes only with the plan’s ETag: a stale plan applied directly fails with 412, nothing overwritten', async () => {
    const ctx = actionContext(h.deps);
    const stale = planSchema.parse(
      await shiftBackendPool.plan(shiftBackendPool.params.parse({ pool: POOL, percent: '20' }), ctx),
    );
    server.changeBy(POOL, [{ id: server.idOf(PRIMARY), priority: 1, weight: 100 }]);
    expect((await shiftBackendPool.dryRun(stale, ctx)).ok).toBe(false);
    const err = await shiftBackendPool.apply(stale, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutorError);
    expect(err).toMatchObject({ status: 412, conflict: true, code: 'ARM_412' });
    expect(membersOf(await api.get(POOL)).map((m) => m.weight)).toEqual([100]);
  });

  it('the API validates bodies with zod and members against its backends (400 naming the field), and requires If-Match (428)', async () => {
    const err = await api
      .update(POOL, [{ id: server.idOf('aoai-nowhere'), priority: 1, weight: 100 }], server.etagOf(POOL))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400 });
    expect((err as Error).message).toContain(`Pool member ${server.idOf('aoai-nowhere')} is not a backend`);
    expect(await api.backendUrl('aoai-nowhere')).toBeUndefined();
    expect(await api.backendUrl(PRIMARY)).toBe(`https://${PRIMARY}.openai.azure.com/openai`);
    // What the SDK would never send, sent by hand: the zod schema names the field; nothing changes.
    const before = server.etagOf(POOL);
    const patch = (body: unknown, ifMatch?: string) =>
      rawRequest(`${server.url}${new URL(server.idOf(POOL), server.url).pathname}?api-version=2024-05-01`, {
        method: 'PATCH',
        ca: server.ca,
        headers: { authorization: `Bearer ${TOKEN}`, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        body: JSON.stringify(body),
      });
    const services = [{ id: server.idOf(PRIMARY), weight: 101 }];
    expect(await patch({ properties: { pool: { services } } }, before)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'ValidationError',
          message: 'properties.pool.services.0.weight: Too big: expected number to be <=100',
        },
      },
    });
    expect((await patch({ properties: { pool: { services: [] } } })).status).toBe(428);
    expect(server.etagOf(POOL)).toBe(before);
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
