/**
 * Event-loop delay under question and chart load (issue 12, item 9). The compiled bot runs in
 * local mode in its own process; a steady Alertmanager intake load runs against it, first alone
 * (the baseline), then while 20 simulated console users ask questions (/kql over 7 days, questions
 * in words, /gpu) and fetch 7-day GPU charts. The bot's own `monitorEventLoopDelay` histogram
 * (prom-client's default metrics on /metrics, reset by each scrape) gives the delay per phase.
 * Intake is driven open-loop (bench/lib/load.ts, runPacedLoad): webhooks leave on a fixed schedule
 * from a worker thread and each is timed from its scheduled send, so a stall of the bot counts in
 * full for every webhook it held up.
 * Rate limits are raised in this run: it measures what the bot does with the work it lets in.
 *
 *   npm run bench:event-loop [-- --seconds 30 --rate 200 --users 20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signChartToken } from '../cards/charts/chart-token.ts';
import { alertmanagerGroup } from '../sim/scenarios/payloads.ts';
import { type PacedResult, runLoad, runPacedLoad } from './lib/load.ts';
import { BENCH_CHART_SECRET, spawnLocalBot } from './lib/local-bot.ts';
import { BENCH_TOKEN, table } from './lib/processes.ts';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '200' },
    users: { type: 'string', default: '20' },
  },
});
const seconds = Number(opts.seconds);
const rate = Number(opts.rate);
const users = Number(opts.users);
const LAG_P99_TARGET_MS = 50;
const INTAKE_P99_TARGET_MS = 25;
const DAY = 86_400_000;

const POLICY = `
storm: { threshold: 0 }
rateLimits:
  kql: { perUser: { burst: 1000, perMinute: 60000 }, global: { burst: 1000, perMinute: 60000 } }
  gpu: { perUser: { burst: 1000, perMinute: 60000 }, global: { burst: 1000, perMinute: 60000 } }
  ask: { perUser: { burst: 1000, perMinute: 60000 }, global: { burst: 1000, perMinute: 60000 } }
`;

let seq = 0;
function body(): string {
  const n = seq++;
  const node = `bench-${n % 1000}`;
  const alert = (gpu: string) => ({
    status: 'firing' as const,
    startsAt: '2026-11-28T09:00:00.000Z',
    labels: { alertname: 'GpuTemperatureHigh', severity: 'warning', Hostname: node, gpu },
    annotations: { summary: `GPU ${gpu} on ${node} at ${84 + (n % 10) / 10} °C` },
  });
  return JSON.stringify(
    alertmanagerGroup({ alertname: 'GpuTemperatureHigh', Hostname: node }, [alert('3'), alert('4')]),
  );
}

const QUESTIONS = [
  '/kql throttle-rate window=7d bucket=1h',
  'what is the 429 rate on gpt-4o this week?',
  '/kql latency-distribution window=24h',
  '/gpu node-3 range=7d',
  'p95 latency of gpt-4o since yesterday?',
  '/kql token-usage window=7d',
];

/** One console user: ask, fetch a chart, think a little, until `until`. */
async function user(botUrl: string, i: number, until: number, counts: Record<string, number>) {
  for (let k = 0; Date.now() < until; k++) {
    const text = QUESTIONS[(i + k) % QUESTIONS.length]!;
    const asked = await fetch(`${botUrl}/api/console/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: `user-${i}`, text }),
    });
    counts[`ask ${asked.status}`] = (counts[`ask ${asked.status}`] ?? 0) + 1;
    // The link a card would carry: node and end vary, so some fetches hit the cache, most do not.
    const end = Math.floor(Date.now() / 60_000) * 60_000 - ((i + k) % 5) * 60_000;
    const token = signChartToken(
      { v: 1, kind: 'gpu-node', node: `node-${(i + k) % 8}`, rangeMs: 7 * DAY, end, expiresAt: end + DAY },
      BENCH_CHART_SECRET,
    );
    const chart = await fetch(`${botUrl}/charts/${token}.png`);
    await chart.arrayBuffer();
    counts[`chart ${chart.status}`] = (counts[`chart ${chart.status}`] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One phase's figures: intake latency from the scheduled send (open loop), and the bot's loop delay. */
function row(
  phase: string,
  r: PacedResult,
  loop: { p99: number; max: number },
): Record<string, string | number> {
  return {
    phase,
    'intake p50 ms': r.p50,
    'intake p99 ms': r.p99,
    'intake max ms': r.max,
    'p99 from send ms': r.sendP99,
    sent: r.scheduled,
    'non-2xx': r.non2xx,
    errors: r.errors,
    'loop p99 ms': loop.p99,
    'loop max ms': loop.max,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-event-loop-'));
  const bot = await spawnLocalBot(dir, POLICY);
  const url = `${bot.url}/api/alerts/alertmanager`;
  const headers = { authorization: `Bearer ${BENCH_TOKEN}` };
  // One scrape per reading: each scrape resets the bot's histogram.
  const lag = async () => {
    const text = await (await fetch(`${bot.url}/metrics`)).text();
    const gauge = (name: string) =>
      Number(
        new RegExp(`^oncall_bot_nodejs_eventloop_lag_${name}_seconds ([0-9.eE+-]+)$`, 'm').exec(text)?.[1],
      ) * 1000;
    return { p99: gauge('p99'), max: gauge('max') };
  };
  const rows: Array<Record<string, string | number>> = [];
  try {
    // The KQL workers build a week of simulated telemetry at start; measure after that, not during.
    await bot.logged('query workers ready');
    await runLoad({ url, headers, body, seconds: 3, connections: 8 }); // warm-up
    await lag(); // resets the bot's histogram
    const base = await runPacedLoad({ url, headers, body, seconds, rate });
    const baseLag = await lag();
    rows.push(row('baseline: intake alone', base, baseLag));

    const counts: Record<string, number> = {};
    const until = Date.now() + seconds * 1000;
    const crowd = Promise.all(Array.from({ length: users }, (_, i) => user(bot.url, i, until, counts)));
    const loaded = await runPacedLoad({ url, headers, body, seconds, rate });
    await crowd;
    const loadedLag = await lag();
    rows.push(row(`intake + ${users} users`, loaded, loadedLag));

    console.log(table(rows));
    console.log('');
    console.log(
      `user requests: ${Object.entries(counts)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}`,
    );
    console.log(
      `event-loop delay p99 under load: ${loadedLag.p99.toFixed(1)} ms (target < ${LAG_P99_TARGET_MS}), ${(loadedLag.p99 / baseLag.p99).toFixed(2)}× the baseline's ${baseLag.p99.toFixed(1)} ms`,
    );
    console.log(
      `sender thread: sent at most ${Math.max(base.senderLagMaxMs, loaded.senderLagMaxMs)} ms late, its loop p99 ${Math.max(base.senderLoopP99Ms, loaded.senderLoopP99Ms)} ms`,
    );
    console.log(
      `intake p99 under load (from the scheduled send): ${loaded.p99} ms (target < ${INTAKE_P99_TARGET_MS}), ${(loaded.p99 / Math.max(1, base.p99)).toFixed(2)}× the baseline's ${base.p99} ms`,
    );
  } finally {
    if (process.env.BENCH_CPU_PROF) {
      // A clean exit, so that the profile is written.
      const exited = new Promise((r) => bot.child.once('exit', r));
      bot.child.kill('SIGTERM');
      await exited;
    } else bot.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
