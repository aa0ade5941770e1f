import { request as httpsRequest } from 'node:https';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { DefaultAzureCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { plan as planSchema } from '../../../core/remediation/plan.ts';
import { shiftBackendPool } from '../../../remediation/actions/shift-backend-pool.ts';
import { membersOf } from '../../../remediation/backend-pool-weights.ts';
import { ExecutorError } from '../../../remediation/errors.ts';
import type { BackendPoolApi } from '../../../remediation/executors/apim-backends.ts';
import { actionContext } from '../../../remediation/flow/deps.ts';
import type { ApimBackendServer } from '../../servers/apim-backends.ts';
import {
  APIM,
  haveOpenssl,
  makeCertificate,
  POOL,
  PRIMARY,
  proposeShift,
  TOKEN,
  useApimFlow,
} from './backend-pool-fixture.ts';
import { bob, type FlowHarness, postedText } from './harness.ts';

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

describe.skipIf(!haveOpenssl)('shift-backend-pool writes only over the ETag it planned against', () => {
  const tls = haveOpenssl ? makeCertificate() : { key: '', cert: '' };
  let server: ApimBackendServer;
  let api: BackendPoolApi;
  let h: FlowHarness;
  useApimFlow(tls, (f) => {
    ({ server, api, h } = f);
  });
  const propose = (params: Record<string, unknown>, extra: { rollbackOf?: number } = {}) =>
    proposeShift(h, params, extra);

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
});
