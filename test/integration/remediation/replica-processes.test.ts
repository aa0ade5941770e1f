import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigFor } from '../../../sim/kube/kubeconfig.ts';
import { type BotProcess, spawnBot } from '../../helpers/bot-process.ts';
import {
  type LatencyProxy,
  type LatencyProxyOptions,
  type ProxiedRequest,
  startLatencyProxy,
} from '../../helpers/latency-proxy.ts';
import { createTestDatabase } from '../../helpers/postgres.ts';
import type { ConsoleApiMessage } from '../../helpers/test-bot.ts';
import { READY_DELAY_MS, type SimCluster, startSimCluster } from '../kube/harness.ts';

/**
 * Remediation across real bot processes on one PostgreSQL database: simultaneous approvals on two
 * replicas execute once, and a replica killed with SIGKILL mid-write neither loses the execution
 * nor repeats the write after its restart.
 */

const POLICY = `
timeZone: UTC
remediation:
  verifyTimeout: 1m
  groups:
    oncall: [console:alice, console:bob]
  guardrails: { namespaces: [ml], maxReplicas: 8, maxStep: 2 }
`;
/** The policy's verifyTimeout plus the recovery grace in remediation/flow/service.ts, and a margin. */
const CUT_OFF_AGE_MS = 60_000 + 60_000 + 10_000;
const HOLD_MS = 1500;

// Decided at collection time: without PostgreSQL the file is skipped (CI fails instead).
const database = await createTestDatabase();

interface CardAction {
  verb?: string;
  data?: Record<string, unknown>;
}

const actionsOf = (m: ConsoleApiMessage) => (m.card?.actions as CardAction[] | undefined) ?? [];
const approveButton = (m: ConsoleApiMessage) => actionsOf(m).find((a) => a.verb === 'remediation-approve');

/** A write that reached the Kubernetes server for real (server-side dry runs change nothing). */
const isWrite = (r: ProxiedRequest) => r.method !== 'GET' && !/[?&]dryRun=/.test(r.path);

async function messages(bot: BotProcess): Promise<ConsoleApiMessage[]> {
  return (await (await fetch(`${bot.url}/api/console/messages`)).json()) as ConsoleApiMessage[];
}

async function say(bot: BotProcess, user: string, text: string): Promise<void> {
  const res = await fetch(`${bot.url}/api/console/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, text }),
  });
  expect(res.status).toBe(202);
}

/** Polls the console until a message satisfies `match`; returns the newest such message. */
async function waitForMessage(
  bot: BotProcess,
  match: (m: ConsoleApiMessage) => boolean,
  timeout = 15_000,
): Promise<ConsoleApiMessage> {
  let found: ConsoleApiMessage | undefined;
  await expect
    .poll(
      async () => {
        found = (await messages(bot)).findLast(match);
        return found !== undefined;
      },
      { timeout, interval: 100 },
    )
    .toBe(true);
  return found!;
}

/** Proposes through the console as alice and returns the proposal card's message. */
async function propose(bot: BotProcess, text: string): Promise<ConsoleApiMessage> {
  const before = new Set((await messages(bot)).map((m) => m.id));
  await say(bot, 'alice', text);
  return waitForMessage(bot, (m) => !before.has(m.id) && approveButton(m) !== undefined);
}

function press(bot: BotProcess, user: string, proposal: ConsoleApiMessage): Promise<Response> {
  return fetch(`${bot.url}/api/console/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      user,
      messageId: proposal.id,
      verb: 'remediation-approve',
      data: approveButton(proposal)!.data,
    }),
  });
}

/** The `/audit` card's text, as a person would read it in the console. */
async function auditCard(bot: BotProcess): Promise<string> {
  const before = new Set((await messages(bot)).map((m) => m.id));
  await say(bot, 'bob', '/audit');
  const card = await waitForMessage(
    bot,
    (m) => !before.has(m.id) && JSON.stringify(m.card).includes('Remediation audit'),
  );
  return JSON.stringify(card.card);
}

interface TableRow {
  type: 'TableRow';
  cells: { items: { text?: string }[] }[];
}

/** The `/audit` table (an Adaptive Card table) as rows of cell texts. */
function auditTable(card: string): string[][] {
  const rows: string[][] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if ((node as TableRow).type === 'TableRow') {
      rows.push((node as TableRow).cells.map((c) => c.items.map((i) => i.text ?? '').join(' ')));
      return;
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(JSON.parse(card));
  return rows;
}

/** Audit rows of proposal `id` with the given event (#, When, Who, Event, Remediation, Plan, Result). */
const auditRows = (card: string, id: number, event: string) =>
  auditTable(card).filter((r) => r[3] === event && r[4]?.startsWith(`#${id} `));

describe.skipIf(!database)('remediation on PostgreSQL replicas, with real processes', () => {
  const db = database!;
  let sim: SimCluster;
  let sql: pg.Client;
  let dir = '';
  const bots: BotProcess[] = [];
  const proxies: LatencyProxy[] = [];

  const replicas = async () =>
    (
      await sim.kubeConfig
        .makeApiClient(AppsV1Api)
        .readNamespacedDeployment({ name: 'embeddings', namespace: 'ml' })
    ).spec?.replicas;

  /** Bot environment talking to Kubernetes through `proxy`; every replica shares the database. */
  function envFor(proxy: LatencyProxy, name: string): Record<string, string> {
    const kubeconfig = join(dir, `kubeconfig-${name}`);
    writeFileSync(kubeconfig, kubeconfigFor(proxy.url.replace(/\/$/, '')));
    const dataDir = join(dir, `data-${name}`);
    return {
      BOT_MODE: 'production',
      CONSOLE: 'on',
      DATABASE_URL: db.url,
      POLICY_FILE: join(dir, 'policy.yaml'),
      KUBECONFIG: kubeconfig,
      DATA_DIR: dataDir,
      ALERT_WEBHOOK_TOKEN: 'replica-processes-token',
      CHART_URL_SECRET: 'r'.repeat(32),
      // A replica killed mid-delivery holds its claim (and the conversation queued behind it) until
      // the lease runs out; a short one keeps the restarted replica's replies from waiting long.
      OUTBOX_LEASE_MS: '4000',
    };
  }

  async function spawn(env: Record<string, string>): Promise<BotProcess> {
    const bot = await spawnBot(env);
    bots.push(bot);
    return bot;
  }

  async function proxy(delayMs: number, options?: LatencyProxyOptions): Promise<LatencyProxy> {
    const p = await startLatencyProxy(sim.server.url, delayMs, options);
    proxies.push(p);
    return p;
  }

  const status = async (id: number) =>
    (await sql.query('SELECT status FROM remediation_proposals WHERE id = $1', [id])).rows[0]?.status;
  const lastProposalId = async () =>
    Number((await sql.query('SELECT max(id) AS id FROM remediation_proposals')).rows[0].id);

  beforeAll(async () => {
    sim = await startSimCluster();
    dir = mkdtempSync(join(tmpdir(), 'remediation-replicas-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.kill9()));
    await sql?.end();
    await Promise.all(proxies.map((p) => p.close()));
    await sim?.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('executes once when bob approves twice on each of two replica processes at the same moment', async () => {
    const kube = await proxy(0);
    const env = envFor(kube, 'pair');
    const [a, b] = await Promise.all([spawn(env), spawn(env)]);
    const before = (await replicas())!;
    const proposal = await propose(
      a,
      `/remediate scale-replicas deployment=embeddings replicas=${before + 1}`,
    );
    const id = await lastProposalId();
    const writesBefore = kube.requests.filter(isWrite).length;

    const answers = await Promise.all([
      press(a, 'bob', proposal),
      press(b, 'bob', proposal),
      press(a, 'bob', proposal),
      press(b, 'bob', proposal),
    ]);
    for (const res of answers) expect(res.status).toBeLessThan(300);
    await expect.poll(replicas, { timeout: 10_000, interval: 50 }).toBe(before + 1);
    // The new pod turns Ready on the cluster's clock; verification then succeeds.
    sim.clock.advance(READY_DELAY_MS);
    await waitForMessage(b, (m) => /\(scale-replicas\): verified\./.test(m.text + JSON.stringify(m.card)));

    const writes = kube.requests.filter(isWrite).slice(writesBefore);
    expect(writes, JSON.stringify(writes)).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PATCH', status: 200 });
    expect(writes[0]!.path).toMatch(/\/namespaces\/ml\/deployments\/embeddings/);
    const executions = await sql.query('SELECT proposal_id FROM remediation_executions');
    expect(executions.rows).toHaveLength(1);
    const approvals = await sql.query(
      "SELECT event, result FROM remediation_audit WHERE event LIKE 'approv%' ORDER BY seq",
    );
    // One approval counts; the other three clicks are refused, whichever replica took them.
    expect(approvals.rows.map((r: { event: string }) => r.event)).toEqual([
      'approval-recorded',
      'approved',
      'approval-refused',
      'approval-refused',
      'approval-refused',
    ]);

    const audit = await auditCard(a);
    expect(audit).toMatch(/Hash chain intact/);
    expect(auditRows(audit, id, 'execution-started')).toHaveLength(1);
    expect(auditRows(audit, id, 'executed')).toHaveLength(1);
    expect(auditRows(audit, id, 'verified')).toHaveLength(1);
    await Promise.all([a.kill9(), b.kill9()]);
  }, 45_000);

  /**
   * One replica proposes and bob approves; writes reach the cluster at once but their answers are
   * held back, and the replica is killed with SIGKILL as soon as the scale write has been applied.
   */
  async function crashMidWrite(env: Record<string, string>, kube: LatencyProxy) {
    const bot = await spawn(env);
    const before = (await replicas())!;
    const proposal = await propose(
      bot,
      `/remediate scale-replicas deployment=embeddings replicas=${before + 1}`,
    );
    const id = await lastProposalId();
    const writesBefore = kube.requests.filter(isWrite).length;
    const writes = () => kube.requests.filter(isWrite).slice(writesBefore);
    expect((await press(bot, 'bob', proposal)).status).toBeLessThan(300);
    await expect
      .poll(() => writes().some((w) => w.status !== undefined), { timeout: 15_000, interval: 10 })
      .toBe(true);
    expect(kube.held()).toBeGreaterThan(0);
    await bot.kill9();
    expect(await replicas()).toBe(before + 1);
    expect(await status(id)).toBe('executing');
    expect(writes()).toHaveLength(1);
    return { id, writes, scaledTo: before + 1 };
  }

  /** The clock cannot be injected into a child process, so the database is aged instead. */
  const ageExecution = (id: number) =>
    sql.query('UPDATE remediation_proposals SET updated_at = updated_at - $2 WHERE id = $1', [
      id,
      CUT_OFF_AGE_MS,
    ]);

  /** The execution ended failed (INTERRUPTED) in `/audit`, was claimed and written exactly once. */
  async function expectInterruptedOnce(bot: BotProcess, id: number, writes: () => ProxiedRequest[]) {
    await waitForMessage(bot, (m) => /interrupted by a restart/.test(m.text + JSON.stringify(m.card)));
    const audit = await auditCard(bot);
    expect(audit).toMatch(/Hash chain intact/);
    expect(auditRows(audit, id, 'execution-started')).toHaveLength(1);
    expect(auditRows(audit, id, 'executed')).toHaveLength(0);
    const failed = auditRows(audit, id, 'execution-failed');
    expect(failed).toEqual([
      [
        expect.any(String),
        expect.any(String),
        'bot',
        'execution-failed',
        `#${id} scale-replicas`,
        expect.any(String),
        'INTERRUPTED',
      ],
    ]);
    const executions = await sql.query(
      'SELECT proposal_id FROM remediation_executions WHERE proposal_id = $1',
      [id],
    );
    expect(executions.rows).toHaveLength(1);
    expect(writes()).toHaveLength(1);
    expect(writes()[0]).toMatchObject({ method: 'PATCH', status: 200 });
  }

  it('kill -9 during the write, restart after the cut-off: start-up recovery marks it failed, no second write', async () => {
    const kube = await proxy(HOLD_MS, { hold: (req) => req.method !== 'GET' });
    const env = envFor(kube, 'late');
    const { id, writes, scaledTo } = await crashMidWrite(env, kube);
    await ageExecution(id);
    const late = await spawn(env);
    // Start-up recovery has run before the process listens.
    expect(await status(id)).toBe('failed');
    await expectInterruptedOnce(late, id, writes);
    expect(await replicas()).toBe(scaledTo);
    await late.kill9();
  }, 45_000);

  it('kill -9 during the write, restart at once: nothing repeats, and the periodic sweep ends it later', async () => {
    const kube = await proxy(HOLD_MS, { hold: (req) => req.method !== 'GET' });
    const env = envFor(kube, 'quick');
    const { id, writes, scaledTo } = await crashMidWrite(env, kube);
    // Within the deadline recovery cannot tell a crashed execution from one another replica is
    // still running: it leaves it alone and, above all, does not run it again.
    const quick = await spawn(env);
    expect(await status(id)).toBe('executing');
    expect(writes()).toHaveLength(1);
    // Past the deadline the running replica's periodic sweep (every 15 s) ends it: not stuck.
    await ageExecution(id);
    await expect.poll(() => status(id), { timeout: 20_000, interval: 200 }).toBe('failed');
    await expectInterruptedOnce(quick, id, writes);
    expect(await replicas()).toBe(scaledTo);
    await quick.kill9();
  }, 45_000);
});
