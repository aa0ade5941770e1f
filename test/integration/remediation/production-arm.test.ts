import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { kubeconfigFor } from '../../../sim/kube/kubeconfig.ts';
import { type BotProcess, spawnBot } from '../../helpers/bot-process.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import { TEST_TOKEN } from '../../helpers/test-bot.ts';
import { type SimCluster, startSimCluster } from '../kube/harness.ts';
import { ARM_TOKEN, CLUSTER, startArmServer } from './arm-server.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
const IDENTITY_HEADER = 'msi-header-secret-0123';

interface ConsoleMessage {
  id: string;
  text: string;
  card: { actions?: { verb?: string; data?: Record<string, unknown> }[] } | null;
}

/**
 * The App Service managed-identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER), which
 * DefaultAzureCredential's managed-identity step calls for a Resource Manager token.
 */
async function startIdentityEndpoint() {
  const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    if (req.headers['x-identity-header'] !== IDENTITY_HEADER) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'unauthorized' }));
    }
    const resource = new URL(req.url ?? '/', 'http://x').searchParams.get('resource') ?? '';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: ARM_TOKEN,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource,
        token_type: 'Bearer',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!haveOpenssl)(
  'production bot process: node pools through ARM with a managed identity',
  () => {
    let sim: SimCluster;
    let arm: Awaited<ReturnType<typeof startArmServer>>;
    let identity: Awaited<ReturnType<typeof startIdentityEndpoint>>;
    let bot: BotProcess;
    let dir: string;
    const output: string[] = [];

    beforeAll(async () => {
      sim = await startSimCluster();
      arm = await startArmServer(new ManualClock(), 60_000);
      identity = await startIdentityEndpoint();
      dir = mkdtempSync(join(tmpdir(), 'remediation-arm-'));
      writeFileSync(join(dir, 'kubeconfig'), kubeconfigFor(sim.server.url));
      writeFileSync(join(dir, 'arm-ca.pem'), arm.ca);
      writeFileSync(
        join(dir, 'policy.yaml'),
        [
          'remediation:',
          '  groups: { oncall: [console:alice, console:bob, console:carol] }',
          `  aks: { resourceGroup: ${CLUSTER.resourceGroup}, cluster: ${CLUSTER.cluster} }`,
          "  guardrails: { resources: ['agentpools/*'] }",
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
        AZURE_SUBSCRIPTION_ID: CLUSTER.subscriptionId,
        AZURE_ARM_ENDPOINT: arm.url,
        // The child trusts the local ARM server's self-signed certificate the standard Node way.
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
      await arm?.close();
      await sim?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const send = (user: string, text: string) =>
      fetch(`${bot.url}/api/console/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, text }),
      });
    const messages = async () =>
      (await (await fetch(`${bot.url}/api/console/messages`)).json()) as ConsoleMessage[];

    it('plans from the live pool, and two approvals send one If-Match PUT with the new count', async () => {
      expect((await send('alice', '/remediate scale-node-pool pool=gpu count=10')).status).toBe(202);
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
        .toMatch(/Scale AKS node pool/);
      expect(JSON.stringify(proposal!.card)).toMatch(/agent pool gpu count 8 → 10/);
      expect(identity.requests[0]?.url).toMatch(/resource=https%3A%2F%2Fmanagement\.azure\.com/);

      const data = proposal!.card!.actions!.find((a) => a.verb === 'remediation-approve')!.data;
      for (const user of ['bob', 'carol']) {
        const res = await fetch(`${bot.url}/api/console/actions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user, messageId: proposal!.id, verb: 'remediation-approve', data }),
        });
        expect(res.status).toBeLessThan(300);
      }
      await expect.poll(() => arm.puts.length, { timeout: 15_000, interval: 50 }).toBe(1);
      expect(arm.puts[0]).toMatchObject({ count: 10, minCount: 2, maxCount: 12 });
      expect(arm.pools.get('gpu')?.properties.count).toBe(10);
    }, 40_000);

    it('logs an ARM failure by its code, never with the ARM token or the identity header', async () => {
      expect((await send('alice', '/remediate scale-node-pool pool=missing count=3')).status).toBe(202);
      await expect
        .poll(() => output.join(''), { timeout: 15_000, interval: 100 })
        .toMatch(/read agent pool missing: NotFound/);
      const visible = output.join('') + JSON.stringify(await messages());
      expect(visible).not.toContain(ARM_TOKEN);
      expect(visible).not.toContain(IDENTITY_HEADER);
    });
  },
);
