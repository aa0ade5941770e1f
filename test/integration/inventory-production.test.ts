import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KqlEngine } from '../../queries/engine/engine.ts';
import { APP_REQUESTS } from '../../queries/engine/table-schemas.ts';
import { type BotProcess, sayToConsole, spawnBot } from '../helpers/bot-process.ts';
import { requireBinary } from '../helpers/require-binary.ts';
import type { ConsoleApiMessage } from '../helpers/test-bot.ts';
import { type LogAnalyticsServer, startLogAnalyticsServer } from '../servers/log-analytics.ts';
import { makeCertificate } from './remediation/arm-server.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
const havePrometheus = requireBinary('/usr/bin/prometheus', 'apt-get install -y prometheus');
const WORKSPACE = '0d5e8a1c-3b7f-4e2a-9c6d-1f2e3a4b5c6d';
const TOKEN = 'la-token-inventory-4b1f';
const IDENTITY_HEADER = 'inventory-identity-secret-77c1';
const MINUTE = 60_000;

/** A workspace with names the simulator has never heard of, rows dated a few minutes back. */
function foreignWorkspace(): KqlEngine {
  const engine = new KqlEngine({ now: () => Date.now() });
  const at = Date.now();
  const rows = [];
  for (let m = 1; m <= 30; m++)
    for (const [deployment, role, team] of [
      ['gpt-4o-prod-eastus', 'chat-gateway-eu', 'search-relevance'],
      ['o3-mini-swc', 'batch-scorer', 'risk-models'],
    ] as const)
      rows.push({
        TimeGenerated: at - m * MINUTE,
        Id: `${deployment}-${m}`,
        Name: 'POST /v1/chat',
        OperationName: 'POST /v1/chat',
        AppRoleName: role,
        Success: m % 5 !== 0,
        ResultCode: m % 5 === 0 ? '429' : '200',
        DurationMs: 300 + m,
        ItemCount: 4,
        Properties: { deployment, 'model.version': '2024-11-20', team },
      });
  engine.loadRows(APP_REQUESTS, rows);
  return engine;
}

/** One GPU node's DCGM exporter, as `aks-gpupool-12` would expose it. */
const EXPOSITION = `# TYPE DCGM_FI_DEV_GPU_TEMP gauge
DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-5d1c0e2a",Hostname="aks-gpupool-12",modelName="NVIDIA H100 80GB HBM3"} 61
DCGM_FI_DEV_GPU_TEMP{gpu="1",UUID="GPU-5d1c0e2b",Hostname="aks-gpupool-12",modelName="NVIDIA H100 80GB HBM3"} 64
`;

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

/**
 * The production bot against a local Log Analytics API (TLS, managed identity) and a real
 * Prometheus scraping one exporter, neither of which knows a single name of the simulator: the
 * bot discovers the names from them, shares them through its store and resolves questions to them.
 */
describe.skipIf(!haveOpenssl || !havePrometheus)('the inventory on a real platform', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inventory-production-'));
  const engine = foreignWorkspace();
  const exporter = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(EXPOSITION);
  });
  let la: LogAnalyticsServer;
  let prometheus: ChildProcess | undefined;
  let bot: BotProcess;
  const say = (text: string) => sayToConsole<ConsoleApiMessage>(bot.url, text);
  const shown = (m: ConsoleApiMessage) => m.text + JSON.stringify(m.card);

  beforeAll(async () => {
    la = await startLogAnalyticsServer({
      tls: makeCertificate(),
      run: (q) => engine.run(q),
      token: TOKEN,
      identityHeader: IDENTITY_HEADER,
    });
    const exporterPort = await listen(exporter);
    const probe = createServer();
    const promPort = await listen(probe); // a free port, handed to Prometheus once let go
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: dcgm\n    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]\n`,
    );
    prometheus = spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prom')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' },
    );
    const promUrl = `http://127.0.0.1:${promPort}`;
    // Bounded wait for the first scrape to be queryable.
    for (let i = 0; i < 150; i++) {
      const body = await fetch(`${promUrl}/api/v1/query?query=DCGM_FI_DEV_GPU_TEMP`)
        .then((r) => r.json() as Promise<{ data?: { result?: unknown[] } }>)
        .catch(() => undefined);
      if ((body?.data?.result?.length ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    writeFileSync(join(dir, 'ca.pem'), la.ca);
    writeFileSync(join(dir, 'policy.yaml'), 'inventory:\n  aliases:\n    4o: gpt-4o-prod-eastus\n');
    bot = await spawnBot({
      BOT_MODE: 'production',
      ALERT_WEBHOOK_TOKEN: 'inventory-production-alert-token-0123',
      CONSOLE: 'on',
      DATA_DIR: join(dir, 'data'),
      POLICY_FILE: join(dir, 'policy.yaml'),
      LOG_ANALYTICS_WORKSPACE_ID: WORKSPACE,
      LOG_ANALYTICS_ENDPOINT: la.url,
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
      IDENTITY_ENDPOINT: `${la.url}/msi/token`,
      IDENTITY_HEADER,
      PROMETHEUS_URL: promUrl,
    });
  }, 90_000);

  afterAll(async () => {
    await bot?.kill9();
    prometheus?.kill('SIGKILL');
    exporter.close();
    await la?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('discovers the workspace’s and the fleet’s own names at start, never the simulator’s', async () => {
    let answer = '';
    // The first discovery runs beside the start-up: bounded wait for it to land.
    for (let i = 0; i < 60 && !answer.includes('aks-gpupool-12'); i++) {
      answer = shown(await say('/inventory'));
      if (!answer.includes('aks-gpupool-12')) await new Promise((r) => setTimeout(r, 500));
    }
    expect(answer).toContain('gpt-4o-prod-eastus');
    expect(answer).toContain('o3-mini-swc');
    expect(answer).toContain('chat-gateway-eu');
    expect(answer).toContain('search-relevance');
    expect(answer).toContain('aks-gpupool-12');
    expect(answer).toContain('4o → gpt-4o-prod-eastus');
    expect(answer).toMatch(/Log Analytics/);
    // The simulator's names are nowhere: production never borrows them.
    expect(answer).not.toMatch(/gpt-4o-mini|text-embedding-3-large|node-7/);
    const inventoryQuery = la.queries.find((q) =>
      q.query.includes('summarize Requests = sum(ItemCount), LastSeen'),
    );
    expect(inventoryQuery?.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('resolves questions to the discovered names, aliases and typos included', async () => {
    for (const question of [
      'what is the 429 rate on gpt-4o-prod-eastus in the last hour?',
      'what is the 429 rate on 4o in the last hour?',
      'what is the 429 rate on gpt-4o-prod-esatus in the last hour?',
    ]) {
      const before = la.queries.length;
      const reply = await say(question);
      const sent = la.queries.slice(before).map((q) => q.query);
      expect(
        sent.some((q) => q.includes('let deployment = "gpt-4o-prod-eastus";')),
        question,
      ).toBe(true);
      expect(shown(reply)).not.toContain(TOKEN);
    }
    const gpu = shown(await say('how hot are the gpus on aks-gpupool-12?'));
    expect(gpu).toContain('aks-gpupool-12');
    expect(gpu).not.toMatch(/No GPU node named/);
  });
});
