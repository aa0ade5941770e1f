import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { createDcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { createDcgmMetricsHandler } from '../../../sim/dcgm/http-handler.ts';

describe('DCGM simulator HTTP handler', () => {
  const clock = new ManualClock();
  const cluster = createDcgmCluster(clock, { nodes: 4 });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer(createDcgmMetricsHandler(cluster));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves /metrics in the text exposition format and follows the clock', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await res.text();
    expect(body).toMatch(/^# HELP DCGM_FI_DEV_GPU_UTIL /);
    expect(body.match(/^DCGM_FI_DEV_GPU_UTIL\{/gm)).toHaveLength(32);

    cluster.heatUp('node-3', { rampMs: 60_000 });
    clock.advance(120_000);
    const hot = await (await fetch(`${base}/metrics?node=node-3`)).text();
    const temps = [...hot.matchAll(/^DCGM_FI_DEV_GPU_TEMP\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(temps).toHaveLength(8);
    expect(Math.max(...temps)).toBeGreaterThan(83);
    expect(hot).not.toContain('Hostname="node-2"');
  });

  it('answers 404 for unknown paths and nodes, 405 for other methods', async () => {
    expect((await fetch(`${base}/other`)).status).toBe(404);
    expect((await fetch(`${base}/metrics?node=node-9`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
