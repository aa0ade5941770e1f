import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { bindParameters } from '../../queries/bind-parameters.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import { SimulatedTelemetry } from '../../sim/telemetry/telemetry.ts';
import { type BotProcess, sayToConsole, spawnBot } from '../helpers/bot-process.ts';
import { cardTables } from '../helpers/card-tables.ts';
import { requireBinary } from '../helpers/require-binary.ts';
import type { ConsoleApiMessage } from '../helpers/test-bot.ts';
import { type LogAnalyticsServer, startLogAnalyticsServer } from '../servers/log-analytics.ts';
import { makeCertificate } from './remediation/arm-server.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
const WORKSPACE = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const TOKEN = 'la-token-from-managed-identity-7d1e';
const IDENTITY_HEADER = 'app-service-identity-secret-93b2';
const ALERT_TOKEN = 'kql-azure-bot-alert-token-0123456789';

/**
 * The production bot as a child process, so NODE_EXTRA_CA_CERTS (read at start-up) trusts the local
 * server's self-signed certificate. DefaultAzureCredential finds the App Service managed identity
 * (IDENTITY_ENDPOINT + IDENTITY_HEADER) and fetches its token from the same local server.
 */
describe.skipIf(!haveOpenssl)('/kql through the production bot against a local Log Analytics API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kql-azure-bot-'));
  const telemetry = new SimulatedTelemetry({ clock: new ManualClock(), historyMs: 86_400_000 });
  let la: LogAnalyticsServer;
  let bot: BotProcess;

  const say = (text: string) => sayToConsole<ConsoleApiMessage>(bot.url, text);

  beforeAll(async () => {
    telemetry.refresh();
    la = await startLogAnalyticsServer({
      tls: makeCertificate(),
      run: (q) => telemetry.engine.run(q),
      token: TOKEN,
      identityHeader: IDENTITY_HEADER,
    });
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, la.ca);
    bot = await spawnBot({
      BOT_MODE: 'production',
      ALERT_WEBHOOK_TOKEN: ALERT_TOKEN,
      CONSOLE: 'on',
      DATA_DIR: join(dir, 'data'),
      LOG_ANALYTICS_WORKSPACE_ID: WORKSPACE,
      LOG_ANALYTICS_ENDPOINT: la.url,
      NODE_EXTRA_CA_CERTS: caFile,
      IDENTITY_ENDPOINT: `${la.url}/msi/token`,
      IDENTITY_HEADER: IDENTITY_HEADER,
    });
  }, 60_000);
  afterAll(async () => {
    await bot?.kill9();
    await la?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /kql with the rows the workspace returned, fetched with a managed-identity token', async () => {
    const reply = await say('/kql throttle-rate deployment=gpt-4o window=1h bucket=15m');
    const sent = la.queries.at(-1)!;
    expect(sent.path).toBe(`/v1/workspaces/${WORKSPACE}/query`);
    expect(sent.auth).toBe(`Bearer ${TOKEN}`);
    expect(sent.prefer).toBe('wait=60');
    expect(la.tokenRequests).toContain('https://api.loganalytics.io');
    // Exactly the vetted text, bound by the one binding function.
    const text = bindParameters(KQL_CATALOG.get('throttle-rate')!.text, {
      deployment: 'gpt-4o',
      window: 3_600_000,
      bucket: 900_000,
    });
    expect(sent.query).toBe(text);
    const expected = telemetry.engine.run(text);
    expect(expected.rows.length).toBeGreaterThan(0);
    const [header, ...rows] = cardTables(reply.card)[0]!;
    expect(header).toEqual([
      'TimeGenerated',
      'AppRoleName',
      'Total (req)',
      'Throttled (req)',
      'ThrottleRate (%)',
    ]);
    expect(rows.length).toBe(expected.rows.length);
    // The same totals the server computed (sum(ItemCount)), by role.
    const totals = (all: unknown[][]) =>
      all.map((r) => Number(String(r[2]).replace(/[,\s]/g, ''))).sort((a, b) => a - b);
    expect(totals(rows)).toEqual(totals(expected.rows));
    const card = JSON.stringify(reply.card);
    expect(card).toContain('Log Analytics');
    expect(card).not.toContain(TOKEN);
    expect(card).not.toContain(IDENTITY_HEADER);
  });

  it('shows a PartialError on the card instead of passing the rows off as complete', async () => {
    la.partial = true;
    try {
      const reply = await say('/kql latency-distribution window=1h');
      const card = JSON.stringify(reply.card);
      expect(card).toMatch(/Partial result: PartialError: There were some errors when processing your query/);
      expect(cardTables(reply.card)[0]!.length).toBe(3); // header + the two rows the server kept
    } finally {
      la.partial = false;
    }
  });

  it('refuses a private query in the console channel before anything reaches the workspace', async () => {
    const before = la.queries.length;
    const reply = await say('/kql prompt-injection-sources');
    const text = reply.text + JSON.stringify(reply.card);
    expect(text).toMatch(/direct message/);
    expect(text).not.toMatch(/user-\d+/);
    expect(la.queries.length).toBe(before);
  });
});
