import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DcgmCluster } from '../../sim/dcgm/cluster.ts';
import { collectDcgmFamilies, collectInfinibandFamilies } from '../../sim/dcgm/families.ts';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/**
 * The simulator's scrapes from `from` to `to` as OpenMetrics with timestamps, for
 * `promtool tsdb create-blocks-from openmetrics`: what a Prometheus scraping it every `stepMs`
 * would have stored. Every family is declared a gauge (OpenMetrics counters need a `_total`
 * suffix the exporter's names do not have; Prometheus stores both the same way).
 */
export function simulatorOpenMetrics(cluster: DcgmCluster, from: number, to: number, stepMs: number): string {
  const byFamily = new Map<string, Map<string, string[]>>();
  for (let t = from; t <= to; t += stepMs) {
    const nodes = cluster.sample(t);
    for (const f of [...collectDcgmFamilies(cluster.options, nodes), ...collectInfinibandFamilies(nodes)]) {
      const series = byFamily.get(f.name) ?? new Map<string, string[]>();
      byFamily.set(f.name, series);
      for (const s of f.series) {
        const labels = s.labels
          .filter(([, v]) => v !== '')
          .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
          .join(',');
        const lines = series.get(labels) ?? [];
        lines.push(`${f.name}{${labels}} ${s.value} ${(t / 1000).toFixed(3)}`);
        series.set(labels, lines);
      }
    }
  }
  const out: string[] = [];
  for (const [name, series] of byFamily) {
    out.push(`# TYPE ${name} gauge`);
    for (const lines of series.values()) out.push(...lines);
  }
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface BackfilledPrometheus {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * A real Prometheus over samples backfilled with promtool: a test reads exactly these samples,
 * whatever the wall clock does meanwhile. Samples must lie within the default retention (15 d).
 */
export async function startBackfilledPrometheus(openMetrics: string): Promise<BackfilledPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'prom-backfill-'));
  writeFileSync(join(dir, 'samples.om'), openMetrics);
  execFileSync(
    PROMTOOL,
    ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'samples.om'), join(dir, 'data')],
    {
      stdio: 'ignore',
    },
  );
  writeFileSync(join(dir, 'prometheus.yml'), 'global: { scrape_interval: 15s }\n');
  const port = await freePort();
  const prom: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (prom.exitCode === null) {
      const exited = new Promise((resolve) => prom.once('exit', resolve));
      prom.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${baseUrl}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { baseUrl, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error('Prometheus did not become ready within 20 s');
}
