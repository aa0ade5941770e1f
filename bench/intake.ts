/**
 * Intake benchmark (issue 2). The bot runs in its own process with SQLite, the console surface and
 * its delivery loop; autocannon drives it from this process over loopback with realistic 2-alert
 * Alertmanager groups (every request a new group, the heaviest path: new alerts, a new incident, a
 * card posted). In the same run a bare Node server that parses the JSON and does one SQLite insert
 * per request is measured as the baseline. Throughput is found closed-loop (autocannon, as fast as
 * the connections allow); latency at a rate is measured open-loop (bench/lib/load.ts runPacedLoad:
 * from each request's scheduled send, so a stall counts for every request it held up).
 *
 *   npm run bench:intake [-- --sustain-seconds 30]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { alertmanagerGroup } from '../sim/scenarios/payloads.ts';
import { type PacedResult, runLoad, runPacedLoad } from './lib/load.ts';
import { BENCH_TOKEN, spawnCompiledBot, spawnTs, table } from './lib/processes.ts';

const { values: opts } = parseArgs({
  options: {
    'sustain-seconds': { type: 'string', default: '30' },
    'probe-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
  },
});
const sustainSeconds = Number(opts['sustain-seconds']);
const probeSeconds = Number(opts['probe-seconds']);
const connections = Number(opts.connections);
const TOKEN = BENCH_TOKEN;
const P99_TARGET_MS = 25;

const GROUPS = 1000;
let seq = 0;
/**
 * A realistic 2-alert group (GPU temperature on two GPUs of one node). Like Alertmanager, the
 * sender re-sends each of its groups as the readings change: request i is group i mod 1000 with
 * the reading of pass i / 1000, so most requests change an incident and queue a card update.
 */
function body(): string {
  const n = seq++;
  const node = `node-${n % GROUPS}`;
  const reading = (84 + ((n / GROUPS) % 10) / 10).toFixed(1);
  const alert = (gpu: string) => ({
    status: 'firing' as const,
    startsAt: '2026-11-28T09:00:00.000Z',
    labels: {
      alertname: 'GpuTemperatureHigh',
      severity: 'warning',
      cluster: 'aks-gpu-01',
      Hostname: node,
      gpu,
      namespace: 'ml',
      pod: `llm-api-${node}`,
    },
    annotations: {
      summary: `GPU ${gpu} on ${node} at ${reading} °C (above 83 °C)`,
      description: 'DCGM_FI_DEV_GPU_TEMP above 83 °C for 5 minutes.',
      runbook_url: 'https://runbooks.example.com/gpu',
    },
  });
  return JSON.stringify(
    alertmanagerGroup({ alertname: 'GpuTemperatureHigh', Hostname: node }, [alert('3'), alert('4')]),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-intake-'));
  const bot = await spawnCompiledBot(dir);
  const baseline = await spawnTs(
    'bench/baseline-server.ts',
    [join(dir, 'baseline.db')],
    {},
    (l) => typeof l.listening === 'number',
  );
  const botUrl = `${bot.url}/api/alerts/alertmanager`;
  const baseUrl = `http://127.0.0.1:${baseline.line.listening}/`;
  const headers = { authorization: `Bearer ${TOKEN}` };
  const rows: Array<Record<string, string | number>> = [];
  let accepted = 0;
  const record = (name: string, r: Awaited<ReturnType<typeof runLoad>>, isBot = true) => {
    if (isBot) accepted += r.ok;
    rows.push({
      run: name,
      'req/s': Math.round(r.rate),
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      '2xx': r.ok,
      'non-2xx': r.non2xx,
      errors: r.errors,
    });
    return r;
  };
  // Paced runs: every request leaves on schedule and is timed from then (no coordinated omission).
  const recordPaced = (name: string, r: PacedResult) => {
    accepted += r.ok;
    rows.push({
      run: name,
      'req/s': r.rate,
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      '2xx': r.ok,
      'non-2xx': r.non2xx,
      errors: r.errors,
    });
    return r;
  };
  try {
    record('warm-up', await runLoad({ url: botUrl, headers, body, seconds: 3, connections: 8 }));
    recordPaced(
      'bot @ 500 req/s (paced)',
      await runPacedLoad({ url: botUrl, headers, body, seconds: probeSeconds, rate: 500 }),
    );
    const max = record(
      'bot, unthrottled',
      await runLoad({ url: botUrl, headers, body, seconds: probeSeconds, connections }),
    );
    const base = record(
      'baseline, unthrottled',
      await runLoad({ url: baseUrl, headers, body, seconds: probeSeconds, connections }),
      false,
    );

    let sustained = 0;
    for (const fraction of [0.9, 0.75, 0.6, 0.45, 0.3]) {
      const rate = Math.max(100, Math.round((max.rate * fraction) / 100) * 100);
      const r = recordPaced(
        `bot @ ${rate} req/s for ${sustainSeconds}s (paced)`,
        await runPacedLoad({ url: botUrl, headers, body, seconds: sustainSeconds, rate }),
      );
      if (r.p99 < P99_TARGET_MS && r.non2xx === 0 && r.errors === 0) {
        sustained = rate;
        break;
      }
    }
    bot.child.kill('SIGTERM');
    await new Promise((r) => bot.child.once('exit', r));
    const db = new Database(join(dir, 'bot.db'), { readonly: true });
    // Every accepted delivery of every alert is counted on its row: none may be missing.
    const stored = db.prepare<[], { n: number }>('SELECT sum(receive_count) AS n FROM alerts').get()!.n;
    db.close();

    console.log(table(rows));
    console.log('');
    console.log(
      `highest rate sustained for ${sustainSeconds}s with p99 < ${P99_TARGET_MS} ms: ${sustained} req/s (target ≥ 2000)`,
    );
    console.log(
      `unthrottled: bot ${Math.round(max.rate)} req/s, baseline ${Math.round(base.rate)} req/s, ratio ${(max.rate / base.rate).toFixed(2)} (target ≥ 0.25)`,
    );
    console.log(`sustained rate as a fraction of the baseline: ${(sustained / base.rate).toFixed(2)}`);
    console.log(
      `alert deliveries accepted with 2xx: ${accepted * 2}, recorded: ${stored}, lost: ${Math.max(0, accepted * 2 - stored)}`,
    );
  } finally {
    bot.child.kill('SIGKILL');
    baseline.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
