import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { readXids } from '../../core/gpu/read-xids.ts';
import { runGpuRange } from '../../queries/backends/metrics-backend.ts';
import { createPrometheusBackend } from '../../queries/backends/prometheus.ts';
import { gpuErrorHistory } from '../../queries/gpu/catalog.ts';
import { xidSightingsFromSeries } from '../../queries/gpu/xid-history.ts';
import { requireBinary } from '../helpers/require-binary.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const available = [PROMETHEUS, PROMTOOL].every((b) => requireBinary(b, 'apt-get install -y prometheus'));

const MIN = 60_000;
const HOUR = 60 * MIN;
// Fixed samples a few hours back (inside the default retention), backfilled with promtool: the
// test reads exactly these, whatever the wall clock does while it runs.
const T0 = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
const END = T0 + 30 * MIN;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * 30 minutes of a DCGM exporter scraped every 15 s. GPU 5 of node-3: XID 48 at +5m, replaced by
 * 63 at +7m (the gauge hides the 48 from then on). GPU 2 of node-3: XID 48 was replaced by 64
 * before DCGM sampled the XID field again (it samples at its own update interval), so only the
 * exporter's event-driven XID count saw it, one scrape earlier. GPU 1: a lone XID 13.
 */
function openMetrics(): string {
  const lines: string[] = [
    '# TYPE DCGM_FI_DEV_XID_ERRORS gauge',
    '# TYPE DCGM_EXP_XID_ERRORS_COUNT gauge',
    '# TYPE DCGM_FI_DEV_ECC_DBE_VOL_TOTAL gauge',
  ];
  const byFamily = new Map<string, string[]>();
  const add = (family: string, labels: string, t: number, v: number) => {
    const list = byFamily.get(family) ?? [];
    list.push(`${family}{${labels}} ${v} ${(t / 1000).toFixed(3)}`);
    byFamily.set(family, list);
  };
  for (let t = T0; t <= END; t += 15_000) {
    const m = (t - T0) / MIN;
    add('DCGM_FI_DEV_XID_ERRORS', 'Hostname="node-3",gpu="5"', t, m >= 7 ? 63 : m >= 5 ? 48 : 0);
    add('DCGM_FI_DEV_XID_ERRORS', 'Hostname="node-3",gpu="2"', t, m >= 10 ? 64 : 0);
    add('DCGM_FI_DEV_XID_ERRORS', 'Hostname="node-3",gpu="1"', t, m >= 12 ? 13 : 0);
    add('DCGM_EXP_XID_ERRORS_COUNT', 'Hostname="node-3",gpu="2",xid="48"', t, m >= 9.75 && m < 15 ? 1 : 0);
    add('DCGM_EXP_XID_ERRORS_COUNT', 'Hostname="node-3",gpu="2",xid="64"', t, m >= 10 && m < 15 ? 1 : 0);
    add('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', 'Hostname="node-3",gpu="5"', t, m >= 5 ? 1 : 0);
  }
  for (const list of byFamily.values()) lines.push(...list);
  // OpenMetrics wants each family's samples together, under its TYPE line.
  const text = [
    '# TYPE DCGM_FI_DEV_XID_ERRORS gauge',
    ...byFamily.get('DCGM_FI_DEV_XID_ERRORS')!,
    '# TYPE DCGM_EXP_XID_ERRORS_COUNT gauge',
    ...byFamily.get('DCGM_EXP_XID_ERRORS_COUNT')!,
    '# TYPE DCGM_FI_DEV_ECC_DBE_VOL_TOTAL gauge',
    ...byFamily.get('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL')!,
    '# EOF',
  ];
  return `${text.join('\n')}\n`;
}

describe.skipIf(!available)('XID history from a real Prometheus', () => {
  let prom: ChildProcess | undefined;
  let dir = '';
  let baseUrl = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xid-history-'));
    writeFileSync(join(dir, 'samples.om'), openMetrics());
    execFileSync(
      PROMTOOL,
      ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'samples.om'), join(dir, 'data')],
      {
        stdio: 'ignore',
      },
    );
    writeFileSync(join(dir, 'prometheus.yml'), 'global: { scrape_interval: 15s }\n');
    const port = await freePort();
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    baseUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`${baseUrl}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('Prometheus did not become ready within 20 s');
  }, 40_000);
  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((resolve) => prom!.once('exit', resolve));
      prom.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const history = async () => {
    const backend = createPrometheusBackend({ baseUrl, clock: systemClock, timeoutMs: 5_000 });
    return runGpuRange(backend, gpuErrorHistory, { node: 'node-3', range: '30m' }, { at: END });
  };

  it('reads every XID the gauge took over the window, not only the last: 48 then 63 on GPU 5', async () => {
    const parts = await history();
    const sightings = xidSightingsFromSeries(parts.xid!, parts.xidCount);
    expect(sightings.get('node-3 GPU 5')).toEqual([
      { xid: 48, at: T0 + 5 * MIN, count: 1 },
      { xid: 63, at: T0 + 7 * MIN, count: 1 },
    ]);
    const reading = readXids(sightings.get('node-3 GPU 5')!);
    expect(reading.kind).toBe('memory-fault');
    expect(reading.action).toBe('drain-and-reset');
    expect(reading.first?.xid).toBe(48);
    expect(parts.eccDbe!.find((s) => s.labels.gpu === '5')!.points.at(-1)![1]).toBe(1);
  });

  it('finds an XID the gauge never showed through DCGM_EXP_XID_ERRORS_COUNT, and that it came first', async () => {
    const parts = await history();
    const gpu2 = xidSightingsFromSeries(parts.xid!, parts.xidCount).get('node-3 GPU 2')!;
    expect(
      xidSightingsFromSeries(parts.xid!)
        .get('node-3 GPU 2')!
        .map((s) => s.xid),
    ).toEqual([64]);
    expect(gpu2.map((s) => s.xid)).toEqual([48, 64]);
    const reading = readXids(gpu2);
    expect(reading.first?.xid).toBe(48);
    expect(reading.summary).toContain('XID 48 (Double-bit ECC error) came first');
    expect(reading.summary).toContain('replace the GPU if it recurs after the reset');
    expect(readXids(xidSightingsFromSeries(parts.xid!).get('node-3 GPU 1')!).kind).toBe('application-fault');
  });
});
