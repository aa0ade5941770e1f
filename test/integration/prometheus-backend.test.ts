import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../core/clock.ts';
import { createLocalMetricsBackend, LocalSampleStore } from '../../queries/backends/local-metrics.ts';
import {
  type InstantSample,
  type MetricsBackend,
  runGpuInstant,
  runGpuRange,
} from '../../queries/backends/metrics-backend.ts';
import { createPrometheusBackend } from '../../queries/backends/prometheus.ts';
import { gpuFleetSummary, gpuNodeHistory, gpuNodeState, infinibandPorts } from '../../queries/gpu/catalog.ts';
import { compilePromQL } from '../../queries/gpu/compile-promql.ts';
import { buildGpuQuery, type VettedGpuQuery } from '../../queries/gpu/define-gpu-query.ts';
import type { GpuQuerySpec } from '../../queries/gpu/query-spec.ts';
import { createDcgmCluster, type DcgmCluster } from '../../sim/dcgm/cluster.ts';
import { renderExposition } from '../../sim/dcgm/exposition.ts';
import { collectDcgmFamilies, collectInfinibandFamilies } from '../../sim/dcgm/families.ts';
import { EXPOSITION_CONTENT_TYPE } from '../../sim/dcgm/http-handler.ts';
import { requireBinary } from '../helpers/require-binary.ts';

interface Seen {
  req: IncomingMessage;
  form: URLSearchParams;
}

const TOKEN = 'test-token-1';

/** A port the OS just handed out and took back; Prometheus needs a number on its command line. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * A stand-in Prometheus answering in the real API's shapes. What it returns is computed from the
 * request (time, range, step, the GPU in the selector) so the client's parsing is really tested.
 */
const ERRORS: Record<string, [number, string, string]> = {
  '13': [400, 'bad_data', '1:10: parse error'],
  '14': [503, 'unavailable', 'TSDB not ready'],
  '12': [422, 'execution', 'too many samples'],
};

function answer(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const query = form.get('query') ?? '';
  const gpu = /gpu="(\d+)"/.exec(query)?.[1] ?? '';
  const error = ERRORS[gpu];
  const labels = (g: string) => ({ __name__: 'DCGM_FI_DEV_GPU_TEMP', gpu: g, Hostname: 'node-7' });
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    json(401, { status: 'error', errorType: 'unauthorized', error: 'missing or bad token' });
  } else if (error) {
    json(error[0], { status: 'error', errorType: error[1], error: error[2] });
  } else if (gpu === '15') {
    // Never answers: the client's timeout or abort must end it.
  } else if (gpu === '11') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy</html>');
  } else if (req.url === '/api/v1/query') {
    const time = Number(form.get('time'));
    json(200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: labels('0'), value: [time, String(80 + (time % 7))] },
          { metric: labels('1'), value: [time, 'NaN'] },
        ],
      },
    });
  } else if (req.url === '/api/v1/query_range') {
    const start = Number(form.get('start'));
    const end = Number(form.get('end'));
    const step = Number(form.get('step'));
    const values: Array<[number, string]> = [];
    for (let t = start, i = 0; t <= end; t += step, i++) values.push([t, i === 2 ? '+Inf' : String(i)]);
    json(200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } });
  } else {
    json(404, { status: 'error', errorType: 'not_found', error: 'no such endpoint' });
  }
}

describe('Prometheus backend against a local HTTP API server', () => {
  const seen: Seen[] = [];
  const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));
  let server: Server;
  let baseUrl: string;
  let tokenCalls = 0;
  const getToken = async () => {
    tokenCalls++;
    return TOKEN;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        seen.push({ req, form });
        answer(req, res, form);
      });
    });
    baseUrl = `http://127.0.0.1:${await listen(server)}/`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const spec = (gpu: number): GpuQuerySpec => ({
    metric: 'DCGM_FI_DEV_GPU_TEMP',
    matchers: [{ label: 'gpu', op: '=', value: String(gpu) }],
    node: { value: 'node-7', source: 'dcgm' },
  });

  it('posts a form-encoded instant query with a bearer token and parses the vector', async () => {
    const backend = createPrometheusBackend({ baseUrl, getToken, clock });
    const before = seen.length;
    const samples = await backend.instant(spec(0));
    const req = seen[before]!;
    expect(req.req.method).toBe('POST');
    expect(req.req.url).toBe('/api/v1/query');
    expect(req.req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.form.get('query')).toBe(compilePromQL(spec(0)));
    expect(req.form.get('time')).toBe(String(clock.now() / 1000) + '.000');
    expect(req.form.get('timeout')).toBe('10s');
    // The NaN sample is dropped; the other keeps its labels and the server's timestamp.
    const time = clock.now() / 1000;
    expect(samples).toEqual([
      {
        labels: { __name__: 'DCGM_FI_DEV_GPU_TEMP', gpu: '0', Hostname: 'node-7' },
        at: clock.now(),
        value: 80 + (time % 7),
      },
    ]);
  });

  it('runs a vetted range query: start, end and step on step boundaries, Inf dropped', async () => {
    const backend = createPrometheusBackend({ baseUrl, getToken, clock });
    const before = seen.length;
    const parts = await runGpuRange(backend, gpuNodeHistory, { node: 'node-7', range: '1h' });
    const reqs = seen.slice(before);
    expect(reqs).toHaveLength(5);
    const r = reqs[0]!;
    expect(r.req.url).toBe('/api/v1/query_range');
    expect(Number(r.form.get('end')) - Number(r.form.get('start'))).toBe(3600);
    expect(r.form.get('step')).toBe('15.000');
    const points = parts.tempMax![0]!.points;
    expect(points).toHaveLength(240); // 241 steps less the +Inf one
    expect(points[2]).toEqual([(Number(r.form.get('start')) + 45) * 1000, 3]);
    expect(points[0]![0] % 15_000).toBe(0);
  });

  it('runs every part of a vetted instant query in parallel', async () => {
    const backend = createPrometheusBackend({ baseUrl, getToken, clock });
    const calls = tokenCalls;
    const parts = await runGpuInstant(backend, gpuNodeState, { node: 'node-7' });
    expect(Object.keys(parts)).toContain('clockEvents');
    expect(tokenCalls - calls).toBe(Object.keys(parts).length);
    expect(parts.util![0]!.labels.Hostname).toBe('node-7');
  });

  it('turns Prometheus error bodies into coded errors that say whether to retry', async () => {
    const backend = createPrometheusBackend({ baseUrl, getToken, clock });
    await expect(backend.instant(spec(13))).rejects.toMatchObject({
      code: 'PROMETHEUS_BAD_QUERY',
      retryable: false,
      message: expect.stringContaining('bad_data: 1:10: parse error'),
    });
    await expect(backend.instant(spec(14))).rejects.toMatchObject({
      code: 'PROMETHEUS_UNAVAILABLE',
      retryable: true,
    });
    await expect(backend.instant(spec(12))).rejects.toMatchObject({ code: 'PROMETHEUS_BAD_QUERY' });
    await expect(backend.instant(spec(11))).rejects.toMatchObject({ code: 'PROMETHEUS_BAD_RESPONSE' });
    const failing = async (): Promise<string> => {
      throw new Error('credential unavailable');
    };
    const badToken = createPrometheusBackend({ baseUrl, clock, getToken: failing });
    await expect(badToken.instant(spec(0))).rejects.toMatchObject({
      code: 'PROMETHEUS_TOKEN',
      retryable: true,
    });
    const noToken = createPrometheusBackend({ baseUrl, clock });
    await expect(noToken.instant(spec(0))).rejects.toMatchObject({
      code: 'PROMETHEUS_AUTH',
      retryable: false,
    });
  });

  it('gives up after its timeout when the server never answers', async () => {
    const backend = createPrometheusBackend({ baseUrl, getToken, clock, timeoutMs: 200 });
    await expect(backend.instant(spec(15))).rejects.toMatchObject({
      code: 'PROMETHEUS_TIMEOUT',
      retryable: true,
    });
  });

  it('stops when the caller aborts', async () => {
    const backend = createPrometheusBackend({ baseUrl, getToken, clock });
    const ctrl = new AbortController();
    const pending = backend.instant(spec(15), { signal: ctrl.signal });
    ctrl.abort();
    await expect(pending).rejects.toMatchObject({ code: 'QUERY_ABORTED' });
  });

  it('reports an unreachable server as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const backend = createPrometheusBackend({ baseUrl: `http://127.0.0.1:${port}`, getToken, clock });
    await expect(backend.instant(spec(0))).rejects.toMatchObject({
      code: 'PROMETHEUS_UNREACHABLE',
      retryable: true,
    });
  });
});

const prometheusBinary = requireBinary('/usr/bin/prometheus', 'apt-get install -y prometheus')
  ? '/usr/bin/prometheus'
  : undefined;

/**
 * The compiled PromQL against the real Prometheus (Debian's 2.42) scraping two simulated
 * exporters, one per host-label spelling: node-3 says `Hostname`, node-7 says `hostname`.
 */
describe.skipIf(!prometheusBinary)('compiled GPU queries on a real Prometheus', () => {
  const clock = systemClock; // Prometheus stamps samples with its own wall clock
  const old = createDcgmCluster(clock, { hostnameLabel: 'Hostname' });
  const current = createDcgmCluster(clock, { hostnameLabel: 'hostname' });
  // Each scrape is mirrored into a local store at the same instant, to compare the two backends.
  const store = new LocalSampleStore();
  const lastScrape = new Map<DcgmCluster, number>();
  const mirrored = (cluster: DcgmCluster) => (req: IncomingMessage, res: ServerResponse) => {
    const t = Date.now();
    const node = new URL(req.url ?? '/', 'http://sim').searchParams.get('node');
    const nodes = cluster.sample(t).filter((n) => n.node.name === node);
    const families = [...collectDcgmFamilies(cluster.options, nodes), ...collectInfinibandFamilies(nodes)];
    store.ingest(families, t);
    lastScrape.set(cluster, t);
    res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE }).end(renderExposition(families));
  };
  const sims = [createServer(mirrored(old)), createServer(mirrored(current))];
  let prom: ChildProcess | undefined;
  let backend: MetricsBackend;
  let dir = '';

  beforeAll(async () => {
    old.eccError('node-3', 2);
    current.heatUp('node-7', { rampMs: 1_000 });
    const [oldPort, currentPort] = await Promise.all(sims.map(listen));
    const port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'gpu-prom-'));
    const job = (name: string, simPort: number | undefined, node: string) =>
      `  - job_name: ${name}\n    params: { node: ['${node}'] }\n    static_configs: [{ targets: ['127.0.0.1:${simPort}'] }]\n`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n${job('dcgm-old', oldPort, 'node-3')}${job('dcgm-current', currentPort, 'node-7')}`,
    );
    prom = spawn(
      prometheusBinary!,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    backend = createPrometheusBackend({ baseUrl: `http://127.0.0.1:${port}`, clock, timeoutMs: 2_000 });
    // Bounded wait for both targets' first scrapes (usually ~5 s after start).
    for (let i = 0; i < 50; i++) {
      const nodes = await backend
        .instant({
          metric: 'DCGM_FI_DEV_GPU_TEMP',
          matchers: [],
          aggregate: { op: 'count', by: ['Hostname'] },
        })
        .catch(() => []);
      if (nodes.length === 2) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error('Prometheus did not scrape both simulated exporters within 25 s');
  });
  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((resolve) => prom!.once('exit', resolve));
      prom.kill('SIGTERM');
      await exited;
    }
    await Promise.all(sims.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds a node under either spelling of the host label', async () => {
    const oldNode = await runGpuInstant(backend, gpuNodeState, { node: 'node-3' });
    const newNode = await runGpuInstant(backend, gpuNodeState, { node: 'node-7' });
    expect(oldNode.temp!.map((s) => s.labels.Hostname)).toEqual(Array(8).fill('node-3'));
    expect(newNode.temp!.map((s) => s.labels.hostname)).toEqual(Array(8).fill('node-7'));
    expect(Math.max(...newNode.temp!.map((s) => s.value))).toBeGreaterThan(83);
    expect(oldNode.xid!.find((s) => s.labels.gpu === '2')!.value).toBe(48);
  });

  it('groups the fleet by one normalised host label', async () => {
    const fleet = await runGpuInstant(backend, gpuFleetSummary, {});
    expect(fleet.nodeTempMax!.map((s) => s.labels.Hostname).sort()).toEqual(['node-3', 'node-7']);
    expect(fleet.hottest![0]!.labels.hostname).toBe('node-7');
    expect(fleet.eccErrors!.map((s) => [s.labels.Hostname, s.labels.gpu])).toEqual([['node-3', '2']]);
    expect(fleet.memoryPressure).toEqual([]);
  });

  it('answers like the local backend on the same scrapes (conformance)', async () => {
    const local = createLocalMetricsBackend(store, clock);
    // An instant safely between each target's last scrape and its next one (1 s apart).
    let at = 0;
    for (let i = 0; i < 300 && !at; i++) {
      const now = Date.now();
      if ([...lastScrape.values()].every((t) => now - t >= 100 && now - t <= 700)) at = now;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(at).toBeGreaterThan(0);
    const shown = (samples: InstantSample[], valuesOnly: boolean) =>
      samples
        .map(({ labels: { instance: _i, job: _j, ...labels }, value }) =>
          valuesOnly
            ? value.toFixed(6)
            : `${JSON.stringify(Object.entries(labels).sort())}=${value.toFixed(6)}`,
        )
        .sort();
    const cases: Array<[VettedGpuQuery, unknown]> = [
      [gpuNodeState, { node: 'node-3' }],
      [gpuNodeState, { node: 'node-7' }],
      [gpuFleetSummary, {}],
      [infinibandPorts, { node: 'node-7' }],
    ];
    let compared = 0;
    for (const [q, params] of cases) {
      for (const [part, spec] of Object.entries(buildGpuQuery(q, params))) {
        // rate()/increase() extrapolate differently by design; topk ties may pick other series.
        if (spec.over?.fn === 'rate' || spec.over?.fn === 'increase') continue;
        const [p, l] = await Promise.all([backend.instant(spec, { at }), local.instant(spec, { at })]);
        expect(shown(p, Boolean(spec.select)), `${q.id}.${part}`).toEqual(shown(l, Boolean(spec.select)));
        compared += p.length;
      }
    }
    expect(compared).toBeGreaterThan(150);
  });
});
