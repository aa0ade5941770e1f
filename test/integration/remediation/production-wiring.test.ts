import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { kubeconfigFor } from '../../../sim/kube/kubeconfig.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { startTestBot, type TestBot } from '../../helpers/test-bot.ts';
import { READY_DELAY_MS, type SimCluster, startSimCluster } from '../kube/harness.ts';

interface CardAction {
  type: string;
  verb?: string;
  data?: Record<string, unknown>;
}

const approveButton = (card: Record<string, unknown> | null) =>
  ((card?.actions as CardAction[] | undefined) ?? []).find((a) => a.verb === 'remediation-approve');

const POLICY = `
timeZone: UTC
remediation:
  groups:
    oncall: [console:alice, console:bob]
  guardrails: { namespaces: [ml], maxReplicas: 8, maxStep: 2 }
`;

// Decided at collection time: without PostgreSQL the replica test is skipped (CI fails instead).
const pgDb: TestDatabase | undefined = await createTestDatabase();

describe('production mode: remediation from the policy file and KUBECONFIG', () => {
  let sim: SimCluster;
  let bot: TestBot;
  let dir: string;
  const apps = () => sim.kubeConfig.makeApiClient(AppsV1Api);
  const replicas = async () =>
    (await apps().readNamespacedDeployment({ name: 'embeddings', namespace: 'ml' })).spec?.replicas;

  beforeAll(async () => {
    sim = await startSimCluster();
    dir = mkdtempSync(join(tmpdir(), 'remediation-prod-'));
    writeFileSync(join(dir, 'kubeconfig'), kubeconfigFor(sim.server.url));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    bot = await startTestBot(
      {
        BOT_MODE: 'production',
        CONSOLE: 'on',
        POLICY_FILE: join(dir, 'policy.yaml'),
        KUBECONFIG: join(dir, 'kubeconfig'),
      },
      new ManualClock(Date.now()),
    );
  });
  afterAll(async () => {
    await pgDb?.drop();
    await bot?.stop();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('proposes with /remediate, refuses the proposer, and scales the deployment once a second person approves', async () => {
    expect(bot.platform).toBeUndefined();
    expect(await replicas()).toBe(2);
    const proposal = await bot.say('/remediate scale-replicas deployment=embeddings replicas=3', 'alice');
    const approve = approveButton(proposal.card);
    expect(approve, JSON.stringify(proposal)).toBeDefined();
    expect(JSON.stringify(proposal.card)).toMatch(/replicas 2 → 3/);
    const press = (user: string) =>
      fetch(`${bot.url}/api/console/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          user,
          messageId: proposal.id,
          verb: 'remediation-approve',
          data: approve!.data,
        }),
      });
    expect(JSON.stringify(await (await press('alice')).json())).toMatch(/four-eyes/);
    expect(await replicas()).toBe(2);

    expect((await press('bob')).status).toBeLessThan(300);
    await expect.poll(replicas, { timeout: 10_000, interval: 50 }).toBe(3);
    // The new pod turns Ready on the cluster's clock; verification then reports success.
    sim.clock.advance(READY_DELAY_MS);
    await expect
      .poll(
        async () => {
          await bot.flush();
          return JSON.stringify(await bot.consoleMessages());
        },
        { timeout: 15_000, interval: 100 },
      )
      .toMatch(/\(scale-replicas\): verified\./);
  }, 30_000);

  it.skipIf(!pgDb)(
    'keeps remediation state in PostgreSQL with DATABASE_URL: two replicas, double clicks, one execution',
    async () => {
      const env = {
        BOT_MODE: 'production',
        CONSOLE: 'on',
        POLICY_FILE: join(dir, 'policy.yaml'),
        KUBECONFIG: join(dir, 'kubeconfig'),
        DATABASE_URL: pgDb!.url,
      };
      const clock = new ManualClock(Date.now());
      const a = await startTestBot(env, clock);
      const b = await startTestBot(env, clock);
      try {
        const before = await replicas();
        const proposal = await a.say(
          `/remediate scale-replicas deployment=embeddings replicas=${before! + 1}`,
          'alice',
        );
        const approve = approveButton(proposal.card);
        expect(approve, JSON.stringify(proposal)).toBeDefined();
        const press = (replica: TestBot, user: string) =>
          fetch(`${replica.url}/api/console/actions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              user,
              messageId: proposal.id,
              verb: 'remediation-approve',
              data: approve!.data,
            }),
          });
        // bob double-clicks on both replicas at once: one approval counts, one execution runs.
        await Promise.all([press(a, 'bob'), press(b, 'bob'), press(b, 'bob')]);
        await expect.poll(replicas, { timeout: 10_000, interval: 50 }).toBe(before! + 1);
        sim.clock.advance(READY_DELAY_MS);
        await expect
          .poll(
            async () => {
              await a.flush();
              return JSON.stringify(await b.consoleMessages());
            },
            { timeout: 15_000, interval: 100 },
          )
          .toMatch(/#1 \(scale-replicas\): verified\./);
        const client = new pg.Client({ connectionString: pgDb!.url });
        await client.connect();
        try {
          const rows = await client.query('SELECT count(*)::int AS n FROM remediation_executions');
          expect(rows.rows[0]).toEqual({ n: 1 });
          const events = await client.query(
            "SELECT event FROM remediation_audit WHERE event LIKE 'approv%' ORDER BY seq",
          );
          expect(events.rows.map((r: { event: string }) => r.event)).toEqual([
            'approval-recorded',
            'approved',
            'approval-refused',
            'approval-refused',
          ]);
        } finally {
          await client.end();
        }
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    },
    30_000,
  );

  it('is not created in production without a remediation section', async () => {
    const plain = await startTestBot({ BOT_MODE: 'production', CONSOLE: 'on' });
    try {
      const answer = await plain.say('/remediate', 'alice');
      expect(answer.text + JSON.stringify(answer.card)).not.toMatch(/scale-replicas/);
    } finally {
      await plain.stop();
    }
  });
});
