import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_CATALOG } from '../../../queries/azure-metrics/catalog.ts';
import { type MetricSeries, seriesTable } from '../../../queries/azure-metrics/metric-request.ts';
import { createSimulatedAzureMetrics } from '../../../sim/telemetry/simulated-azure-metrics.ts';
import { type BotProcess, sayToConsole, spawnBot } from '../../helpers/bot-process.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import type { ConsoleApiMessage } from '../../helpers/test-bot.ts';
import { type AzureMetricsServer, startAzureMetricsServer } from '../../servers/azure-metrics.ts';
import { makeCertificate } from '../remediation/arm-server.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
const SUBSCRIPTION = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const RESOURCE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/ai-prod/providers/Microsoft.CognitiveServices/accounts/oai-prod`;
const TOKEN = 'metrics-token-from-managed-identity-41c7';
const IDENTITY_HEADER = 'app-service-identity-secret-7e20';
const ALERT_TOKEN = 'aoai-azure-bot-alert-token-0123456789';

/**
 * The production bot as a child process (NODE_EXTRA_CA_CERTS is read at start-up) reading platform
 * metrics with `DefaultAzureCredential`, which finds the App Service managed identity of the same
 * local server. The server answers from a simulated resource; what the bot shows is compared with
 * what the server sent for the request it received.
 */
describe.skipIf(!haveOpenssl)(
  '/aoai through the production bot against a local Azure Monitor metrics API',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'aoai-azure-bot-'));
    // The remote resource's own data, over whatever time range the bot asks for.
    const resource = createSimulatedAzureMetrics({
      clock: { now: () => Number.MAX_SAFE_INTEGER },
      startMs: 0,
    });
    let answered: MetricSeries[] = [];
    let server: AzureMetricsServer;
    let bot: BotProcess;

    const say = (text: string) => sayToConsole<ConsoleApiMessage>(bot.url, text);

    beforeAll(async () => {
      server = await startAzureMetricsServer({
        tls: makeCertificate(),
        token: TOKEN,
        identityHeader: IDENTITY_HEADER,
        answer: async (_id, request) => {
          answered = await resource.fetch(request);
          return answered;
        },
      });
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, server.ca);
      bot = await spawnBot({
        BOT_MODE: 'production',
        ALERT_WEBHOOK_TOKEN: ALERT_TOKEN,
        CONSOLE: 'on',
        DATA_DIR: join(dir, 'data'),
        AZURE_METRICS_ENDPOINT: server.url,
        AZURE_OPENAI_RESOURCE_IDS: RESOURCE,
        NODE_EXTRA_CA_CERTS: caFile,
        IDENTITY_ENDPOINT: `${server.url}/msi/token`,
        IDENTITY_HEADER: IDENTITY_HEADER,
      });
    }, 60_000);
    afterAll(async () => {
      await bot?.kill9();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers with the series the resource returned, fetched with a managed-identity token', async () => {
      const reply = await say('/aoai aoai-requests-by-status window=2h interval=15m');
      const seen = server.requests.at(-1)!;
      expect(seen.auth).toBe(`Bearer ${TOKEN}`);
      expect(seen.resourceIds).toEqual([RESOURCE]);
      expect(seen.query).toMatchObject({
        interval: 'PT15M',
        filter: "ModelDeploymentName eq '*' and StatusCode eq '*'",
      });
      expect(server.tokenRequests).toContain('https://management.azure.com');
      const expected = seriesTable(METRIC_CATALOG.get('aoai-requests-by-status')!, answered);
      expect(expected.rows.length).toBeGreaterThan(0);
      const card = JSON.stringify(reply.card);
      expect(card).toContain(
        `aoai-requests-by-status · ${expected.rows.length} rows · Azure Monitor metrics`,
      );
      expect(card).toContain(RESOURCE);
      expect(card).not.toContain(TOKEN);
      expect(card).not.toContain(IDENTITY_HEADER);
    });
  },
);
