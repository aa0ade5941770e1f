/**
 * Big-group intake benchmark (issue 12): one Alertmanager notification of 10,000 alerts of ~1.3 kB
 * each (~13 MB), posted once to the compiled bot on SQLite (and on PostgreSQL when a local cluster
 * is there). Prints the time to 202 and the bot process's peak RSS (VmHWM), and the same for the
 * bare baseline server (bench/baseline-server.ts: parse the JSON, one SQLite insert) fed the same
 * body in the same run.
 *
 *   npm run bench:big-group [-- --alerts 10000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { alertmanagerGroup } from '../sim/scenarios/payloads.ts';
import { createTestDatabase } from '../test/helpers/postgres.ts';
import { BENCH_TOKEN, peakRssMb, spawnCompiledBot, spawnTs, table } from './lib/processes.ts';

const { values: opts } = parseArgs({ options: { alerts: { type: 'string', default: '10000' } } });
const ALERTS = Number(opts.alerts);

/** One group (same alertname and Hostname), one pod apart per alert; ~1.3 kB of JSON per alert. */
function body(): string {
  const alerts = Array.from({ length: ALERTS }, (_, i) => ({
    status: 'firing' as const,
    startsAt: '2026-11-28T09:00:00.000Z',
    labels: {
      alertname: 'GpuXidError',
      severity: 'warning',
      cluster: 'aks-gpu-01',
      Hostname: 'node-7',
      namespace: 'ml',
      pod: `trainer-${i}`,
    },
    annotations: {
      summary: `Xid 79 (GPU fallen off the bus) on trainer-${i}`,
      description: `DCGM reported Xid 79 for the GPU of trainer-${i}. ${'Drain the node and reset the GPU. '.repeat(24)}`,
      runbook_url: 'https://runbooks.example.com/gpu-xid',
    },
  }));
  return JSON.stringify(alertmanagerGroup({ alertname: 'GpuXidError', Hostname: 'node-7' }, alerts));
}

async function postOnce(url: string, payload: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
    body: payload,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const payload = body();
  const dir = mkdtempSync(join(tmpdir(), 'bench-big-group-'));
  const rows: Array<Record<string, string | number>> = [];
  const db = await createTestDatabase();
  try {
    const baseline = await spawnTs(
      'bench/baseline-server.ts',
      [join(dir, 'baseline.db')],
      {},
      (l) => typeof l.listening === 'number',
    );
    const base = await postOnce(`http://127.0.0.1:${baseline.line.listening}/`, payload);
    const baseRss = peakRssMb(baseline.child.pid!);
    baseline.child.kill('SIGKILL');
    rows.push({
      run: 'baseline',
      status: base.status,
      'ms to 2xx': base.ms,
      'peak RSS MB': baseRss,
      'RSS over idle MB': '',
      'time / baseline': 1,
      'RSS / baseline': 1,
    });

    const engines: Array<[string, Record<string, string>]> = [['bot, SQLite', {}]];
    if (db) engines.push(['bot, PostgreSQL', { DATABASE_URL: db.url }]);
    for (const [name, env] of engines) {
      const bot = await spawnCompiledBot(join(dir, name.replace(/\W+/g, '-')), env);
      try {
        const idleRss = peakRssMb(bot.child.pid!);
        const r = await postOnce(`${bot.url}/api/alerts/alertmanager`, payload);
        const rss = peakRssMb(bot.child.pid!);
        rows.push({
          run: name,
          status: r.status,
          'ms to 2xx': r.ms,
          'peak RSS MB': rss,
          'RSS over idle MB': rss - idleRss,
          'time / baseline': r.ms / base.ms,
          'RSS / baseline': rss / baseRss,
        });
      } finally {
        bot.child.kill('SIGKILL');
      }
    }
    console.log(`one Alertmanager group: ${ALERTS} alerts, ${(payload.length / 1e6).toFixed(1)} MB body`);
    console.log(table(rows));
  } finally {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
