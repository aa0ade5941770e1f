import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { createAzureLogsBackend, portalQueryUrl } from '../../queries/backends/azure-logs.ts';
import { QueryParamError } from '../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import { SimulatedTelemetry } from '../../sim/telemetry/telemetry.ts';
import { requireBinary } from '../helpers/require-binary.ts';
import { makeCertificate } from './remediation/arm-server.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
const TOKEN = 'log-analytics-test-token';
const credential = {
  getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

interface Seen {
  path: string;
  auth: string | undefined;
  prefer: string | undefined;
  body: { query: string; timespan?: string };
}

/**
 * A local HTTPS server speaking the Log Analytics query API (`POST /v1/workspaces/{id}/query`),
 * answering with the local KQL engine over simulated telemetry. Workspace `partial` answers with a
 * PartialError beside the rows; workspace `broken` with a 400 error.
 */
async function startLogAnalytics(telemetry: SimulatedTelemetry) {
  const { key, cert } = makeCertificate();
  const seen: Seen[] = [];
  const server: Server = createServer({ key, cert }, (req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as Seen['body'];
      seen.push({
        path: req.url ?? '',
        auth: req.headers.authorization,
        prefer: req.headers.prefer as string,
        body,
      });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return send(401, { error: { code: 'AuthorizationRequiredError', message: 'no' } });
      const ws = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(req.url ?? '')?.[1];
      if (ws === 'broken')
        return send(400, {
          error: { code: 'BadArgumentError', message: 'The request had some invalid properties' },
        });
      telemetry.refresh();
      const result = telemetry.engine.run(body.query);
      const tables = [{ name: 'PrimaryResult', columns: result.columns, rows: result.rows }];
      if (ws === 'partial')
        return send(200, {
          tables: [{ ...tables[0], rows: result.rows.slice(0, 2) }],
          error: {
            code: 'PartialError',
            message: 'Query result was truncated (E_QUERY_RESULT_SET_TOO_LARGE)',
          },
        });
      return send(200, { tables });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, ca: cert, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.skipIf(!haveOpenssl)('the Azure logs backend against a local Log Analytics API over HTTPS', () => {
  const clock = new ManualClock();
  const telemetry = new SimulatedTelemetry({ clock, historyMs: 86_400_000 });
  let la: Awaited<ReturnType<typeof startLogAnalytics>>;
  let agent: Agent;
  const backend = (workspaceId: string) =>
    createAzureLogsBackend({
      workspaceId,
      catalog: KQL_CATALOG,
      endpoint: la.url,
      credential,
      agent,
      serverTimeoutSeconds: 30,
      workspaceResourceId:
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws',
    });

  beforeAll(async () => {
    la = await startLogAnalytics(telemetry);
    agent = new Agent({ ca: la.ca });
  });
  afterAll(async () => {
    agent?.destroy();
    await la?.close();
  });

  it('sends the bound vetted text with a bearer token and a server timeout, and returns the REST table shape', async () => {
    const run = await backend('ws-1').run('throttle-rate', {
      deployment: 'gpt-4o',
      window: '30m',
      bucket: '5m',
    });
    const req = la.seen.at(-1)!;
    expect(req.path).toBe('/v1/workspaces/ws-1/query');
    expect(req.auth).toBe(`Bearer ${TOKEN}`);
    expect(req.prefer).toBe('wait=30');
    expect(req.body.query).toBe(run.text);
    // Every parameter is bound as a literal ahead of the vetted text; unset range ends as null.
    expect(run.text).toMatch(/^let window = 1800000ms; /);
    expect(run.text).toContain('let bucket = 300000ms;');
    expect(run.text).toContain('let deployment = "gpt-4o";');
    expect(run.result.partial).toBe(false);
    // The workspace says each column's name and type; units and decimals are the vetted query's.
    expect(run.result.columns).toEqual(
      KQL_CATALOG.get('throttle-rate')!.columns.map(({ name, type }) => ({ name, type })),
    );
    // Datetimes come back as the same ISO text the local engine returns, not Date objects.
    expect(run.result.rows).toEqual(telemetry.engine.run(run.text).rows);
    expect(run.portalUrl).toBe(
      portalQueryUrl(
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws',
        run.text,
      ),
    );
  });

  it('surfaces a PartialError as a partial result with the service’s reason', async () => {
    const run = await backend('partial').run('latency-distribution', {});
    expect(run.result.partial).toBe(true);
    expect(run.result.partialReason).toMatch(/PartialError: Query result was truncated/);
    expect(run.result.rows.length).toBe(2);
  });

  it('turns a service error into a coded error, and never sends invalid parameters', async () => {
    await expect(backend('broken').run('token-usage', {})).rejects.toMatchObject({
      code: 'LOGS_QUERY_FAILED',
    });
    const before = la.seen.length;
    await expect(backend('ws-1').run('token-usage', { window: '90d' })).rejects.toThrow(QueryParamError);
    expect(la.seen.length).toBe(before);
  });
});
