import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerGroup } from '../../sim/scenarios/payloads.ts';
import { type BotProcess, spawnBot } from '../helpers/bot-process.ts';
import { type LatencyProxy, startLatencyProxy } from '../helpers/latency-proxy.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { type SlackWebApiServer, startSlackWebApiServer } from '../servers/slack-web-api.ts';

const TOKEN = 'replica-test-token-0123456789';
const CHANNEL = 'C0INCIDENTS';
// The Slack adapter paces posts at about one per second per channel and replica: keep it small.
const GROUPS = 12;

/** One firing GPU alert per group; `n` names both the group and the node. */
function group(n: number) {
  const labels = { alertname: 'GpuTemperatureHigh', severity: 'warning', Hostname: `node-${n}`, gpu: '0' };
  return alertmanagerGroup({ alertname: 'GpuTemperatureHigh', Hostname: `node-${n}` }, [
    {
      status: 'firing',
      startsAt: '2026-11-28T09:00:00.000Z',
      labels,
      annotations: { summary: `node-${n} hot` },
    },
  ]);
}

let retried = 0;

/** Sends like Alertmanager: a 503 (the replicas' transactions kept conflicting) is sent again. */
async function post(bot: BotProcess, n: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${bot.url}/api/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(group(n)),
    });
    if (res.status !== 503 || attempt === 10) return res.status;
    retried++;
    await new Promise((r) => setTimeout(r, 50 * attempt));
  }
}

// Decided at collection time so that a machine without PostgreSQL skips (CI fails instead).
const database: TestDatabase | undefined = await createTestDatabase();

/**
 * Two real bot processes on one PostgreSQL database, posting to one (local) Slack workspace whose
 * answers arrive 300 ms after Slack acted on the call: any replica takes any webhook, each incident
 * is opened once and gets one card, and a replica killed while delivering loses nothing.
 */
describe.skipIf(!database)('two replicas on PostgreSQL', () => {
  const db = database!;
  let slack: SlackWebApiServer;
  let proxy: LatencyProxy;
  let sql: pg.Client;
  let a: BotProcess;
  let b: BotProcess;
  let policyDir = '';
  const count = async (query: string) => Number((await sql.query(query)).rows[0].n);
  const pending = () => count("SELECT count(*) AS n FROM outbox WHERE status = 'pending'");
  const topLevelCards = () => slack.messages.filter((m) => m.channel === CHANNEL && !m.thread_ts).length;

  beforeAll(async () => {
    slack = await startSlackWebApiServer({ channels: [{ id: CHANNEL, name: 'incidents' }], rateLimits: {} });
    proxy = await startLatencyProxy(slack.url, 300);
    // Every group must get a card of its own here: storm mode (its own test) would fold them.
    policyDir = mkdtempSync(join(tmpdir(), 'replicas-policy-'));
    writeFileSync(join(policyDir, 'policy.yaml'), 'storm:\n  threshold: 0\n');
    const env = {
      POLICY_FILE: join(policyDir, 'policy.yaml'),
      BOT_MODE: 'production',
      DATABASE_URL: db.url,
      ALERT_WEBHOOK_TOKEN: TOKEN,
      CHART_URL_SECRET: 'c'.repeat(32),
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: 'slack-signing-secret-for-tests',
      SLACK_CHANNEL: CHANNEL,
      SLACK_API_URL: proxy.url,
      OUTBOX_LEASE_MS: '8000',
    };
    [a, b] = await Promise.all([spawnBot(env), spawnBot(env)]);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 60_000);

  afterAll(async () => {
    rmSync(policyDir, { recursive: true, force: true });
    await Promise.all([a?.kill9(), b?.kill9()]);
    await sql?.end();
    await proxy?.close();
    await slack?.close();
    await db.drop();
  }, 60_000);

  it('groups webhooks sent to both replicas at once into one incident and one card each', async () => {
    const groups = Array.from({ length: GROUPS }, (_, n) => n);
    // Every group twice to each replica, all at the same time, as two Alertmanager peers would.
    const statuses = await Promise.all(
      groups.flatMap((n) => [post(a, n), post(b, n), post(a, n), post(b, n)]),
    );
    expect(statuses.every((s) => s === 202)).toBe(true);
    console.info(`replicas: ${statuses.length} webhooks, ${retried} answered 503 and sent again`);
    expect(await count('SELECT count(*) AS n FROM incidents')).toBe(GROUPS);
    expect(await count('SELECT count(*) AS n FROM alerts')).toBe(GROUPS);
    await expect.poll(() => pending(), { timeout: 40_000 }).toBe(0);
    expect(topLevelCards()).toBe(GROUPS);
    expect(
      await count("SELECT count(DISTINCT incident_id) AS n FROM chat_messages WHERE surface = 'slack'"),
    ).toBe(GROUPS);
  }, 60_000);

  it('loses and doubles no card when a replica is killed in the middle of delivering', async () => {
    const before = topLevelCards();
    const groups = Array.from({ length: GROUPS }, (_, n) => 100 + n);
    expect((await Promise.all(groups.map((n) => post(a, n)))).every((s) => s === 202)).toBe(true);
    // Kill replica A once Slack has acted on calls whose answers A has not received yet.
    await expect.poll(() => proxy.held(), { timeout: 10_000, interval: 5 }).toBeGreaterThan(0);
    const inFlight = proxy.held();
    await a.kill9();
    // B takes the entries A had leased once their lease (8 s) runs out.
    await expect.poll(() => pending(), { timeout: 60_000 }).toBe(0);
    expect(await count('SELECT count(*) AS n FROM incidents')).toBe(2 * GROUPS);
    expect(
      await count("SELECT count(DISTINCT incident_id) AS n FROM chat_messages WHERE surface = 'slack'"),
    ).toBe(2 * GROUPS);
    // Every recorded card exists on Slack.
    const refs = (
      await sql.query<{ message_id: string }>("SELECT message_id FROM chat_messages WHERE surface = 'slack'")
    ).rows;
    for (const r of refs) expect(slack.findMessage(CHANNEL, r.message_id)).toBeDefined();
    // A card Slack posted whose answer died with A is found by B through its delivery key (message
    // metadata) and adopted, not posted again.
    const duplicates = topLevelCards() - before - GROUPS;
    console.info(`replica kill: ${inFlight} calls in flight at the kill, ${duplicates} duplicate cards`);
    expect(duplicates).toBe(0);
    expect(slack.callsTo('conversations.history').length).toBeGreaterThan(0);
  }, 90_000);
});
