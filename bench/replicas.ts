/**
 * Replica benchmark (issue 8): correctness under concurrency on PostgreSQL, not speed-up (two
 * processes share this machine's two cores with PostgreSQL and the load generator).
 *
 * 1. Intake with 1 and then 2 compiled bot processes on one PostgreSQL database: a fixed rate of
 *    Alertmanager re-sends over 200 groups (every request changes a reading), split evenly over
 *    the replicas, so both write the same incidents at the same time. Reports p50/p99 and checks
 *    that every 2xx'd delivery is counted on its alert row, each group has exactly one incident
 *    and each incident exactly one posted card.
 * 2. Delivery while Slack (a local Web API server) answers 429 to 30 % of calls: time until every
 *    card is posted, messages per second and the latency from webhook to Slack.
 *
 *   npm run bench:replicas [-- --seconds 20 --rate 300]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { alertmanagerGroup } from '../sim/scenarios/payloads.ts';
import { createTestDatabase } from '../test/helpers/postgres.ts';
import { startSlackWebApiServer } from '../test/servers/slack-web-api.ts';
import { runLoad } from './lib/load.ts';
import { BENCH_TOKEN, spawnCompiledBot, table } from './lib/processes.ts';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '300' },
    cards: { type: 'string', default: '40' },
  },
});
const SECONDS = Number(opts.seconds);
const RATE = Number(opts.rate);
const CARDS = Number(opts.cards);
const GROUPS = 200;
const headers = { authorization: `Bearer ${BENCH_TOKEN}` };

// Every incident must get its own card here: storm mode (bench:storm) would fold most of them.
const policyDir = mkdtempSync(join(tmpdir(), 'bench-policy-'));
const POLICY_FILE = join(policyDir, 'policy.yaml');
writeFileSync(POLICY_FILE, 'storm:\n  threshold: 0\n');

/** Group n mod GROUPS with a reading that changes on every pass, as Alertmanager re-sends it. */
function groupBody(n: number, prefix = 'node'): string {
  const node = `${prefix}-${n % GROUPS}`;
  const labels = { alertname: 'GpuTemperatureHigh', severity: 'warning', Hostname: node, gpu: '0' };
  const reading = (84 + (Math.floor(n / GROUPS) % 50) / 10).toFixed(1);
  return JSON.stringify(
    alertmanagerGroup({ alertname: 'GpuTemperatureHigh', Hostname: node }, [
      {
        status: 'firing',
        startsAt: '2026-11-28T09:00:00.000Z',
        labels,
        annotations: { summary: `GPU 0 on ${node} at ${reading} °C` },
      },
    ]),
  );
}

async function scalar(sql: pg.Client, query: string): Promise<number> {
  return Number((await sql.query(query)).rows[0].n);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

async function intakeRun(replicas: number): Promise<Record<string, string | number>> {
  const db = await createTestDatabase();
  if (!db) throw new Error('PostgreSQL is needed (apt-get install postgresql; pg_ctlcluster 15 main start)');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-replicas-'));
  const bots = await Promise.all(
    Array.from({ length: replicas }, () => spawnCompiledBot(dataDir, { DATABASE_URL: db.url, POLICY_FILE })),
  );
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    // Each replica gets its share of the rate; request i of replica r is sequence r, r+R, r+2R …
    const loads = await Promise.all(
      bots.map((bot, r) => {
        let k = 0;
        return runLoad({
          url: `${bot.url}/api/alerts/alertmanager`,
          headers,
          body: () => groupBody(r + replicas * k++),
          seconds: SECONDS,
          connections: 16,
          rate: RATE / replicas,
        });
      }),
    );
    const ok = loads.reduce((n, l) => n + l.ok, 0);
    const drained = await waitFor(
      async () => (await scalar(sql, "SELECT count(*) AS n FROM outbox WHERE status = 'pending'")) === 0,
      60_000,
    );
    const counted = await scalar(sql, 'SELECT coalesce(sum(receive_count), 0) AS n FROM alerts');
    const incidents = await scalar(sql, 'SELECT count(*) AS n FROM incidents');
    const cards = await scalar(sql, 'SELECT count(*) AS n FROM console_messages WHERE thread_id IS NULL');
    return {
      replicas,
      'req/s': Math.round(loads.reduce((n, l) => n + l.rate, 0)),
      'p50 ms': Math.max(...loads.map((l) => l.p50)),
      'p99 ms': Math.max(...loads.map((l) => l.p99)),
      '2xx': ok,
      'non-2xx+errors': loads.reduce((n, l) => n + l.non2xx + l.errors, 0),
      'counted on alerts': counted,
      lost: Math.max(0, ok - counted),
      incidents,
      'cards posted': cards,
      'outbox drained': drained ? 'yes' : 'NO',
    };
  } finally {
    await sql.end();
    for (const b of bots) b.child.kill('SIGKILL');
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function deliveryRun(): Promise<Record<string, string | number>> {
  const channel = 'C0INCIDENTS';
  // Only the injected 429s: the bot's own pacing (1 post/s per channel) is what Slack asks for.
  const slack = await startSlackWebApiServer({
    channels: [{ id: channel, name: 'incidents' }],
    rateLimits: {},
    failureRatio: 0.3,
    injectedRetryAfter: 1,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-delivery-'));
  const bot = await spawnCompiledBot(dataDir, {
    POLICY_FILE,
    CONSOLE: 'off',
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_CHANNEL: channel,
    SLACK_API_URL: slack.url,
  });
  try {
    const sentAt = new Map<string, number>();
    const started = Date.now();
    for (let n = 0; n < CARDS; n++) {
      const res = await fetch(`${bot.url}/api/alerts/alertmanager`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: groupBody(n, 'storm'),
      });
      if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
      sentAt.set(`storm-${n}`, Date.now());
    }
    const cards = () => slack.messages.filter((m) => m.channel === channel && !m.thread_ts);
    const done = await waitFor(async () => cards().length >= CARDS, 10 * CARDS * 1000);
    const elapsed = (Date.now() - started) / 1000;
    const latencies = cards()
      .map((m) => {
        const node = /storm-\d+/.exec(m.text ?? '')?.[0];
        return node ? m.postedAt - sentAt.get(node)! : Number.NaN;
      })
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    const posts = slack.callsTo('chat.postMessage');
    return {
      cards: cards().length,
      'all delivered': done ? 'yes' : 'NO',
      duplicates: cards().length - new Set(cards().map((m) => /storm-\d+/.exec(m.text ?? '')?.[0])).size,
      'postMessage calls': posts.length,
      '429s': posts.filter((c) => c.status === 429).length,
      seconds: elapsed,
      'cards/s': cards().length / elapsed,
      'latency p50 s': pct(0.5) / 1000,
      'latency p99 s': pct(0.99) / 1000,
    };
  } finally {
    bot.child.kill('SIGKILL');
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const intake = [await intakeRun(1), await intakeRun(2)];
  console.log(`\nIntake on PostgreSQL, ${RATE} req/s for ${SECONDS} s over ${GROUPS} groups\n`);
  console.log(table(intake));
  const p99Ratio = Number(intake[1]!['p99 ms']) / Math.max(1, Number(intake[0]!['p99 ms']));
  console.log(`\np99 with 2 replicas / 1 replica: ${p99Ratio.toFixed(2)}`);
  console.log(`\nDelivery of ${CARDS} new cards while Slack answers 429 to 30 % of calls\n`);
  console.log(table([await deliveryRun()]));
  rmSync(policyDir, { recursive: true, force: true });
}

await main();
