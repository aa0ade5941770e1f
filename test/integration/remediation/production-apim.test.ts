import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigFor } from '../../../sim/kube/kubeconfig.ts';
import { type BotProcess, spawnBot } from '../../helpers/bot-process.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import { TEST_TOKEN } from '../../helpers/test-bot.ts';
import { type ApimBackendServer, startApimBackendServer } from '../../servers/apim-backends.ts';
import { startManagedIdentityEndpoint } from '../../servers/managed-identity.ts';
import { type SimCluster, startSimCluster } from '../kube/harness.ts';
import { makeCertificate } from './arm-server.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
const TOKEN = 'arm-token-for-the-gateway-0f3e7a';
const IDENTITY_HEADER = 'identity-header-secret-b2d4';
const APIM = {
  subscriptionId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  resourceGroup: 'rg-ai-gateway',
  service: 'apim-ai-prod',
};

interface ConsoleMessage {
  id: string;
  text: string;
  card: { actions?: { verb?: string; data?: Record<string, unknown> }[] } | null;
}

/**
 * The production bot as a child process, shifting the AI gateway's backend pool through the local
 * API Management backend API with `DefaultAzureCredential` (App Service managed identity), the
 * pool and its primary named by `remediation.apim` in the policy file.
 */
describe.skipIf(!haveOpenssl)('production bot process: the API Management backend pool through ARM', () => {
  let sim: SimCluster;
  let server: ApimBackendServer;
  let identity: Awaited<ReturnType<typeof startManagedIdentityEndpoint>>;
  let bot: BotProcess;
  let dir: string;
  const output: string[] = [];

  beforeAll(async () => {
    sim = await startSimCluster();
    const base = `/subscriptions/${APIM.subscriptionId}/resourceGroups/${APIM.resourceGroup}/providers/Microsoft.ApiManagement/service/${APIM.service}/backends/`;
    server = await startApimBackendServer({
      tls: makeCertificate(),
      token: TOKEN,
      ...APIM,
      backends: {
        'aoai-ptu-eastus2': { type: 'Single' },
        'aoai-paygo-sweden': { type: 'Single' },
        'aoai-pool': {
          type: 'Pool',
          services: [
            { id: `${base}aoai-ptu-eastus2`, priority: 1, weight: 100 },
            { id: `${base}aoai-paygo-sweden`, priority: 2, weight: 100 },
          ],
        },
      },
    });
    identity = await startManagedIdentityEndpoint({ token: TOKEN, identityHeader: IDENTITY_HEADER });
    dir = mkdtempSync(join(tmpdir(), 'remediation-apim-'));
    writeFileSync(join(dir, 'kubeconfig'), kubeconfigFor(sim.server.url));
    writeFileSync(join(dir, 'arm-ca.pem'), server.ca);
    writeFileSync(
      join(dir, 'policy.yaml'),
      [
        'remediation:',
        '  groups: { oncall: [console:alice, console:bob] }',
        `  apim: { resourceGroup: ${APIM.resourceGroup}, service: ${APIM.service}, pools: { aoai-pool: { primary: aoai-ptu-eastus2 } } }`,
        '  guardrails: { minPrimaryWeight: 50 }',
        '',
      ].join('\n'),
    );
    bot = await spawnBot({
      BOT_MODE: 'production',
      CONSOLE: 'on',
      ALERT_WEBHOOK_TOKEN: TEST_TOKEN,
      DATA_DIR: join(dir, 'data'),
      POLICY_FILE: join(dir, 'policy.yaml'),
      KUBECONFIG: join(dir, 'kubeconfig'),
      AZURE_SUBSCRIPTION_ID: APIM.subscriptionId,
      AZURE_ARM_ENDPOINT: server.url,
      NODE_EXTRA_CA_CERTS: join(dir, 'arm-ca.pem'),
      IDENTITY_ENDPOINT: identity.url,
      IDENTITY_HEADER,
      LOG_LEVEL: 'debug',
    });
    bot.child.stdout!.on('data', (d) => output.push(String(d)));
    bot.child.stderr!.on('data', (d) => output.push(String(d)));
  }, 40_000);
  afterAll(async () => {
    await bot?.kill9();
    await identity?.close();
    await server?.close();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const send = (user: string, text: string) =>
    fetch(`${bot.url}/api/console/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, text }),
    });
  const messages = async () =>
    (await (await fetch(`${bot.url}/api/console/messages`)).json()) as ConsoleMessage[];

  it('plans from the live pool; one approval by someone else sends one If-Match PATCH', async () => {
    const etag = server.etagOf('aoai-pool');
    expect((await send('alice', '/remediate shift-backend-pool pool=aoai-pool percent=40')).status).toBe(202);
    let proposal: ConsoleMessage | undefined;
    await expect
      .poll(
        async () => {
          proposal = (await messages()).find((m) =>
            m.card?.actions?.some((a) => a.verb === 'remediation-approve'),
          );
          return proposal?.text ?? JSON.stringify((await messages()).map((m) => m.text));
        },
        { timeout: 20_000, interval: 100 },
      )
      .toMatch(/Shift traffic in the API Management backend pool/);
    expect(JSON.stringify(proposal!.card)).toContain(
      'aoai-paygo-sweden: priority 2 → 1, weight 100 → 40 (0% → 40% of traffic)',
    );
    expect(identity.tokenRequests[0]).toBe(server.url);
    const data = proposal!.card!.actions!.find((a) => a.verb === 'remediation-approve')!.data;
    const res = await fetch(`${bot.url}/api/console/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'bob', messageId: proposal!.id, verb: 'remediation-approve', data }),
    });
    expect(res.status).toBeLessThan(300);
    await expect.poll(() => server.writes.length, { timeout: 15_000, interval: 50 }).toBe(1);
    expect(server.writes[0]).toMatchObject({ method: 'PATCH', ifMatch: etag, status: 200 });
    expect(server.backends.get('aoai-pool')?.services?.map((s) => [s.priority, s.weight])).toEqual([
      [1, 60],
      [1, 40],
    ]);
  }, 40_000);

  it('refuses a shift below the policy’s primary minimum, and never logs the token or the identity header', async () => {
    expect(
      (await send('alice', '/remediate shift-backend-pool pool=aoai-pool to=aoai-paygo-sweden percent=70'))
        .status,
    ).toBe(202);
    await expect
      .poll(async () => JSON.stringify(await messages()), { timeout: 15_000, interval: 100 })
      .toContain('the minimum is 50%');
    const visible = output.join('') + JSON.stringify(await messages());
    expect(visible).not.toContain(TOKEN);
    expect(visible).not.toContain(IDENTITY_HEADER);
  });
});
