/**
 * Alert-to-card latency (issue 12, item 9): the time from a webhook's 2xx to its card in the
 * console, and to the card showing its KQL evidence, at 1,000 and 10,000 alerts per minute. The
 * compiled bot runs in local mode (local KQL engine over simulated telemetry, so evidence is on);
 * every webhook is a new Alertmanager group of 10 HTTP-429 alerts on one deployment: a new P2
 * incident, a new card, one evidence query (throttle-rate). Storm mode is off so every incident
 * keeps its own card. The console's messages are read from the bot's SQLite file (read-only), so
 * watching costs the bot nothing; the baseline of the same run is the webhook's own 2xx time.
 *
 *   npm run bench:latency [-- --minutes 2 --rates 1000,10000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { alertmanagerGroup } from '../sim/scenarios/payloads.ts';
import { percentile, spawnLocalBot } from './lib/local-bot.ts';
import { BENCH_TOKEN, table } from './lib/processes.ts';

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '2' },
    rates: { type: 'string', default: '1000,10000' },
    'alerts-per-webhook': { type: 'string', default: '10' },
  },
});
const minutes = Number(opts.minutes);
const rates = opts.rates.split(',').map(Number);
const perWebhook = Number(opts['alerts-per-webhook']);
const DEPLOYMENTS = ['gpt-4o', 'gpt-4o-mini', 'o3-mini'];
const PENDING = 'running vetted queries';

let seq = 0;
function webhook(): { id: string; body: string } {
  const id = `bench${seq++}`;
  const deployment = DEPLOYMENTS[seq % DEPLOYMENTS.length]!;
  const alerts = Array.from({ length: perWebhook }, (_, i) => ({
    status: 'firing' as const,
    startsAt: new Date().toISOString(),
    labels: {
      alertname: 'AzureOpenAI429Rate',
      severity: 'warning',
      deployment,
      bench: id,
      instance: `gw-${i}`,
    },
    annotations: { summary: `429 rate above 5 % on ${deployment} (${id})` },
  }));
  return {
    id,
    body: JSON.stringify(alertmanagerGroup({ alertname: 'AzureOpenAI429Rate', bench: id }, alerts)),
  };
}

interface Seen {
  accepted: number;
  card?: number;
  evidence?: number;
}

async function runRate(botUrl: string, db: Database.Database, alertsPerMinute: number, forMinutes: number) {
  const webhooksPerSecond = alertsPerMinute / perWebhook / 60;
  const seen = new Map<string, Seen>();
  let refused = 0;
  const started = Date.now();
  const until = started + forMinutes * 60_000;
  const sends: Promise<void>[] = [];
  // Open-loop sender: webhooks leave on schedule whether or not earlier ones were answered.
  const sender = (async () => {
    for (let n = 0; ; n++) {
      const due = started + (n * 1000) / webhooksPerSecond;
      if (due >= until) return;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const { id, body } = webhook();
      sends.push(
        fetch(`${botUrl}/api/alerts/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
          body,
        }).then(async (res) => {
          await res.arrayBuffer();
          if (res.ok) seen.set(id, { accepted: Date.now() });
          else refused++;
        }),
      );
    }
  })();
  // Watch the console's table: new cards by seq, evidence by the pending notice disappearing.
  const poll = db.prepare<
    [number],
    { seq: number; created_at: number; updated_at: number; pending: number; bench: string | null }
  >(
    `SELECT seq, created_at, updated_at, instr(card, '${PENDING}') AS pending,
            substr(text, instr(text, '(bench') + 1, instr(substr(text, instr(text, '(bench') + 1), ')') - 1) AS bench
       FROM console_messages WHERE seq > ? AND thread_id IS NULL`,
  );
  const waiting = new Map<number, string>();
  let lastSeq = 0;
  const watch = () => {
    for (const row of poll.all(lastSeq)) {
      lastSeq = Math.max(lastSeq, row.seq);
      const s = row.bench ? seen.get(row.bench) : undefined;
      if (!s || s.card !== undefined) continue;
      s.card = row.created_at;
      if (row.pending === 0) s.evidence = row.updated_at;
      else waiting.set(row.seq, row.bench!);
    }
    if (waiting.size === 0) return;
    const ids = [...waiting.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = db
        .prepare<number[], { seq: number; updated_at: number; pending: number }>(
          `SELECT seq, updated_at, instr(card, '${PENDING}') AS pending FROM console_messages WHERE seq IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(...chunk);
      for (const r of rows) {
        if (r.pending !== 0) continue;
        seen.get(waiting.get(r.seq)!)!.evidence = r.updated_at;
        waiting.delete(r.seq);
      }
    }
  };
  const timer = setInterval(watch, 200);
  await sender;
  await Promise.all(sends);
  // Let the tail arrive (or not) for up to 15 s.
  const drainUntil = Date.now() + 15_000;
  while (Date.now() < drainUntil && [...seen.values()].some((s) => s.evidence === undefined)) {
    await new Promise((r) => setTimeout(r, 250));
  }
  clearInterval(timer);
  watch();
  const all = [...seen.values()];
  const card = all.filter((s) => s.card !== undefined).map((s) => s.card! - s.accepted);
  const evidence = all.filter((s) => s.evidence !== undefined).map((s) => s.evidence! - s.accepted);
  return { alertsPerMinute, webhooks: all.length, refused, card, evidence };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-latency-'));
  const bot = await spawnLocalBot(dir, 'storm: { threshold: 0 }\n');
  const rows: Array<Record<string, string | number>> = [];
  const verdicts: string[] = [];
  try {
    const db = new Database(join(dir, 'bot.db'), { readonly: true, fileMustExist: true });
    // Each KQL worker builds its 7 days of telemetry at start (seconds); then a short burst warms
    // the first per-minute appends and the JIT, so what follows measures the bot warmed up.
    await bot.logged('query workers ready');
    await runRate(bot.url, db, 6000, 0.1);
    for (const r of rates) {
      const res = await runRate(bot.url, db, r, minutes);
      const p = (v: number[], q: number) => (v.length ? percentile(v, q) : Number.NaN);
      rows.push({
        'alerts/min': r,
        webhooks: res.webhooks,
        'non-2xx': res.refused,
        cards: res.card.length,
        'card p50 ms': p(res.card, 50),
        'card p99 ms': p(res.card, 99),
        'with evidence': res.evidence.length,
        'evidence p50 ms': p(res.evidence, 50),
        'evidence p95 ms': p(res.evidence, 95),
        'evidence p99 ms': p(res.evidence, 99),
      });
      verdicts.push(
        `${r} alerts/min for ${minutes} min: card p99 ${p(res.card, 99)} ms (target < 1000, ${(p(res.card, 99) / 1000).toFixed(2)}× the target), evidence p95 ${p(res.evidence, 95)} ms (target < 2000, ${(p(res.evidence, 95) / 2000).toFixed(2)}×); cards ${res.card.length}/${res.webhooks}, evidence ${res.evidence.length}/${res.webhooks}`,
      );
    }
    db.close();
    console.log(table(rows));
    console.log('');
    for (const v of verdicts) console.log(v);
  } finally {
    bot.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
