/**
 * Alert-storm benchmark (issue 2): 10,000 alerts in 60 s across 200 groups, sent as 5,000
 * Alertmanager notifications of 2 alerts each to the bot in its own process. Prints the cards
 * and updates it posted (target ≤ 200 cards, updates coalesced; with the default storm policy
 * the first 10 incidents get cards and the rest fold into one storm card), its peak RSS (target
 * < 300 MB) and the alerts lost (target 0).
 *
 * P1 incidents (the default: GPU XID errors) are exempt from storm mode and each get a card; with
 * `--kind temperature` (GPU temperature warnings, P2) all but the first ten fold into one storm card.
 *
 *   npm run bench:storm [-- --seconds 60 --alerts 10000 --groups 200 --kind xid|temperature]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { alertmanagerGroup } from '../sim/scenarios/payloads.ts';
import { BENCH_TOKEN, peakRssMb, spawnCompiledBot, table } from './lib/processes.ts';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    kind: { type: 'string', default: 'xid' },
    alerts: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '200' },
  },
});
const seconds = Number(opts.seconds);
const totalAlerts = Number(opts.alerts);
const groups = Number(opts.groups);
const ALERT =
  opts.kind === 'temperature'
    ? { name: 'GpuTemperatureHigh', severity: 'warning', summary: 'above 83 °C' }
    : { name: 'GpuXidError', severity: 'critical', summary: 'XID 79' };
const TOKEN = BENCH_TOKEN;

/** Notification k: two new alerts (two GPUs) joining group k mod `groups`. */
function notification(k: number): string {
  const g = k % groups;
  const wave = Math.floor(k / groups);
  const alert = (i: number) => ({
    status: 'firing' as const,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    labels: {
      alertname: ALERT.name,
      severity: ALERT.severity,
      Hostname: `node-${g}`,
      gpu: String(i),
      wave: String(wave),
    },
    annotations: { summary: `${ALERT.summary} on node-${g} GPU ${i}` },
  });
  return JSON.stringify(
    alertmanagerGroup({ alertname: ALERT.name, Hostname: `node-${g}` }, [
      alert(2 * wave),
      alert(2 * wave + 1),
    ]),
  );
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.split(' ').at(-1));
  return sum;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-storm-'));
  const bot = await spawnCompiledBot(dir);
  const url = bot.url;
  const requests = Math.ceil(totalAlerts / 2);
  const started = Date.now();
  let accepted = 0;
  let failed = 0;
  try {
    // Paced evenly over the window, a few in flight at a time, as a busy Alertmanager would.
    const intervalMs = (seconds * 1000) / requests;
    const inflight = new Set<Promise<void>>();
    for (let k = 0; k < requests; k++) {
      const due = started + k * intervalMs;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const p = fetch(`${url}/api/alerts/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: notification(k),
      })
        .then((res) => {
          if (res.status === 202) accepted++;
          else failed++;
        })
        .catch(() => {
          failed++;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= 64) await Promise.race(inflight);
    }
    await Promise.all(inflight);
    const sentIn = (Date.now() - started) / 1000;
    // Let the outbox drain.
    const drainStart = Date.now();
    while ((await metric(url, 'oncall_bot_outbox_depth')) > 0 && Date.now() - drainStart < 120_000) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const drainS = (Date.now() - drainStart) / 1000;
    const posted = await metric(url, 'oncall_bot_deliveries_total{surface="console",outcome="posted"}');
    const updated = await metric(url, 'oncall_bot_deliveries_total{surface="console",outcome="updated"}');
    const rss = peakRssMb(bot.child.pid!);
    bot.child.kill('SIGTERM');
    await new Promise((r) => bot.child.once('exit', r));
    const db = new Database(join(dir, 'bot.db'), { readonly: true });
    const stored = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM alerts').get()!.n;
    const cards = db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM console_messages WHERE thread_id IS NULL AND author = 'bot'",
      )
      .get()!.n;
    const incidents = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM incidents').get()!.n;
    const count = (sql: string) => db.prepare<[], { n: number }>(sql).get()!.n;
    const storms = count('SELECT count(*) AS n FROM storms');
    const folded = count('SELECT count(*) AS n FROM incidents WHERE storm_id IS NOT NULL');
    db.close();
    console.log(
      table([
        { figure: 'alerts sent', value: requests * 2, target: totalAlerts },
        { figure: 'sent within (s)', value: sentIn, target: seconds },
        { figure: 'notifications accepted (2xx)', value: accepted, target: requests },
        { figure: 'notifications refused', value: failed, target: 0 },
        { figure: 'alerts stored', value: stored, target: accepted * 2 },
        { figure: 'alerts lost', value: Math.max(0, accepted * 2 - stored), target: 0 },
        { figure: 'incidents', value: incidents, target: groups },
        { figure: 'cards posted (incidents + storm)', value: cards, target: `≤ ${groups}` },
        // P1 (the XID default) is exempt from storm mode by the default policy: no storm card is right.
        { figure: 'storm cards', value: storms, target: opts.kind === 'temperature' ? 1 : 0 },
        { figure: 'incidents folded into the storm', value: folded, target: '' },
        { figure: 'card posts (deliveries)', value: posted, target: '' },
        { figure: 'card updates (coalesced)', value: updated, target: `< ${requests}` },
        { figure: 'outbox drained after (s)', value: drainS, target: '' },
        { figure: 'peak RSS (MB)', value: rss, target: '< 300' },
      ]),
    );
  } finally {
    bot.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
