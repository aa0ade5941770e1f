import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { ManualClock } from '../../core/clock.ts';
import { createDcgmCluster, type DcgmCluster } from '../../sim/dcgm/cluster.ts';
import { createDcgmMetricsHandler } from '../../sim/dcgm/http-handler.ts';
import { requireBinary } from '../helpers/require-binary.ts';
import { startTestBot, TEST_TOKEN, type TestBot } from '../helpers/test-bot.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const PROMTOOL = '/usr/bin/promtool';
const HINT = 'apt-get install -y prometheus prometheus-alertmanager';
const available = [PROMETHEUS, ALERTMANAGER, PROMTOOL].every((b) => requireBinary(b, HINT));

const DEPLOY = new URL('../../deploy/prometheus/', import.meta.url);

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ alert: string; for?: string; expr: string }> }>;
}

/** A port nobody listens on right now (the servers under test need it before they start). */
async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** What Prometheus and Alertmanager printed, shown when a wait times out. */
const serverLog: string[] = [];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}; last server output:\n${serverLog.slice(-10).join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function startProcess(bin: string, args: string[], log: string[]): ChildProcess {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const ready = (url: string) => async () => ((await fetch(url)).ok ? true : undefined);

describe.skipIf(!available)('Prometheus → Alertmanager → bot, with the shipped rules and config', () => {
  let dir: string;
  // Prometheus scrapes and evaluates on the wall clock, so the simulated fleet follows it too.
  let cluster: DcgmCluster;
  let sim: Server;
  let bot: TestBot;
  let prometheus: ChildProcess | undefined;
  let alertmanager: ChildProcess | undefined;
  const clock = new ManualClock(Date.now());
  let amUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oncall-prom-e2e-'));
    cluster = createDcgmCluster({ now: () => Date.now() });
    sim = createServer(createDcgmMetricsHandler(cluster));
    await new Promise<void>((r) => sim.listen(0, '127.0.0.1', r));
    const simPort = (sim.address() as { port: number }).port;
    const [promPort, amPort] = [await freePort(), await freePort()];

    // The bot reads GPU metrics from the real Prometheus: its charts come from the same data.
    bot = await startTestBot({ BOT_MODE: 'local', PROMETHEUS_URL: `http://127.0.0.1:${promPort}` }, clock);

    const rules = parseYaml(readFileSync(new URL('gpu-alerts.rules.yml', DEPLOY), 'utf8')) as RuleFile;
    for (const g of rules.groups) for (const r of g.rules) r.for = '0s';
    writeFileSync(join(dir, 'rules.yml'), toYaml(rules));
    execFileSync(PROMTOOL, ['check', 'rules', join(dir, 'rules.yml')]);

    const am = parseYaml(readFileSync(new URL('alertmanager.yml', DEPLOY), 'utf8'));
    Object.assign(am.route, { group_wait: '0s', group_interval: '1s', repeat_interval: '1h' });
    const hook = am.receivers[0].webhook_configs[0];
    hook.url = `${bot.url}/api/alerts/alertmanager`;
    hook.http_config.authorization.credentials_file = join(dir, 'bot-token');
    writeFileSync(join(dir, 'bot-token'), TEST_TOKEN);
    writeFileSync(join(dir, 'alertmanager.yml'), toYaml(am));

    writeFileSync(
      join(dir, 'prometheus.yml'),
      toYaml({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [join(dir, 'rules.yml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
        scrape_configs: [
          { job_name: 'dcgm', honor_labels: true, static_configs: [{ targets: [`127.0.0.1:${simPort}`] }] },
        ],
      }),
    );
    alertmanager = startProcess(
      ALERTMANAGER,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'am-data')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      serverLog,
    );
    prometheus = startProcess(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prom-data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ],
      serverLog,
    );
    amUrl = `http://127.0.0.1:${amPort}`;
    await waitFor('Alertmanager', ready(`http://127.0.0.1:${amPort}/-/ready`));
    await waitFor('Prometheus', ready(`http://127.0.0.1:${promPort}/-/ready`));
    await waitFor('the first scrape of the simulator', async () => {
      const q = encodeURIComponent('DCGM_FI_DEV_GPU_TEMP{Hostname="node-7",gpu="3"}');
      const body = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${q}`)).json()) as {
        data: { result: unknown[] };
      };
      return body.data.result.length > 0 ? true : undefined;
    });
  }, 60_000);

  afterAll(async () => {
    await stopProcess(prometheus);
    await stopProcess(alertmanager);
    await bot?.stop();
    await new Promise((r) => sim?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Delivers what the bot queued, at the wall-clock time Prometheus lives in. A bounded number of
   * rounds (not `flush()`): an unbounded loop once starved this test's timers under load.
   */
  const deliver = async () => {
    clock.set(Date.now());
    for (let i = 0; i < 20; i++) {
      const n = await bot.delivery.runOnce();
      if (n === 0) break;
    }
    return bot.consoleMessages();
  };

  it('the shipped rule file passes promtool', () => {
    const out = execFileSync(PROMTOOL, ['check', 'rules', new URL('gpu-alerts.rules.yml', DEPLOY).pathname]);
    expect(out.toString()).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('a GPU crossing 83 °C fires, reaches the bot, shows a chart, then resolves on the same card', async () => {
    const isOurCard = (text: string) => /GPU 3 on node-7 is at \d+ °C \(above 83 °C\)/.test(text);
    cluster.heatUp('node-7', { gpus: [3], rampMs: 1, peakC: 90 });

    const firing = await waitFor(
      'the firing card',
      async () => (await deliver()).find((m) => m.card && isOurCard(m.text) && m.text.includes('FIRING')),
      45_000,
    );
    const card = JSON.stringify(firing.card);
    expect(card).toContain('P2');
    expect(card.length).toBeLessThan(80_000);
    const chartUrl = /"url":"([^"]+\/charts\/[^"]+\.png)"/.exec(card)?.[1];
    expect(chartUrl).toMatch(new RegExp(`^${bot.url}/charts/`));
    clock.set(Date.now());
    const png = await fetch(chartUrl!);
    expect(png.status).toBe(200);
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

    cluster.recover('node-7');
    const resolved = await waitFor(
      'the card to turn resolved',
      async () => (await deliver()).find((m) => m.id === firing.id && m.text.includes('RESOLVED')),
      45_000,
    );
    expect(JSON.stringify(resolved.card)).toContain('/charts/');
  }, 100_000);

  it('XID 48 then 63 on one GPU: one incident, read as one memory fault, its card charting the errors', async () => {
    const ours = (m: { card: unknown; threadId: string | null }) =>
      m.card !== null && m.threadId === null && JSON.stringify(m.card).includes('node-5');
    cluster.eccError('node-5', 2);
    await waitFor(
      'the XID 48 card',
      async () => (await deliver()).find((m) => ours(m) && JSON.stringify(m.card).includes('XID 48')),
      45_000,
    );
    cluster.xidError('node-5', 2, 63);
    const card = await waitFor(
      'the card reading 48 and 63 together',
      async () =>
        (await deliver()).find((m) => ours(m) && JSON.stringify(m.card).includes('one memory fault')),
      45_000,
    );
    const shown = JSON.stringify(card.card);
    expect(shown).toContain('XID 48 (Double-bit ECC error), then XID 63 (Row remapping recorded) on one GPU');
    expect(shown).toContain('Drain the node and reset the GPU');
    expect(shown).toContain('P1');
    // ECC, remap and both XID alerts of node-5 GPU 2 are one incident, one card.
    expect((await bot.consoleMessages()).filter(ours).map((m) => m.id)).toEqual([card.id]);
    const chartUrl = /"url":"([^"]+\/charts\/[^"]+\.png)"/.exec(shown)?.[1];
    expect(shown).toContain('node-5 GPU 2 errors around the alert');
    clock.set(Date.now());
    const png = await fetch(chartUrl!);
    expect(png.status).toBe(200);
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString('latin1'),
    ).toBe('PNG');
    cluster.recover('node-5');
  }, 100_000);

  it('one group of 2,500 alerts through the real Alertmanager: all stored, no retry-cancelled error', async () => {
    const before = await bot.store.alerts.count();
    const startsAt = new Date().toISOString();
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    // Same group_by labels (alertname, Hostname), one label apart: Alertmanager's single group.
    const alerts = Array.from({ length: 2500 }, (_, i) => ({
      labels: { alertname: 'GpuXidStorm', Hostname: 'node-big', severity: 'warning', pod: `trainer-${i}` },
      annotations: { summary: `Xid 79 on trainer-${i}`, description: 'd'.repeat(1000) },
      startsAt,
      endsAt,
    }));
    const posted = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    expect(posted.status).toBe(200);
    await waitFor(
      'all 2,500 alerts in the store',
      async () => ((await bot.store.alerts.count()) >= before + 2500 ? true : undefined),
      45_000,
    );
    expect(await bot.store.alerts.count()).toBe(before + 2500);
    expect(serverLog.join('')).not.toMatch(/retry canceled|unrecoverable/i);
  }, 60_000);
});
