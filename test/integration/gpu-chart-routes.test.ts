import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotServer, createServer } from '../../bot/http/server.ts';
import { createLogger } from '../../bot/logger.ts';
import { type ChartRequest, signChartToken } from '../../cards/charts/chart-token.ts';
import { ManualClock } from '../../core/clock.ts';
import { UserFacingError } from '../../core/errors.ts';
import { registerChartRoutes } from '../../handlers/gpu/chart-routes.ts';
import { MetricsBackendError } from '../../queries/backends/metrics-backend.ts';

const SECRET = 'route-secret-0123456789abcdef0123456789';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

/** The chart routes on their own server, with a renderer whose answer depends on the node asked for. */
describe('GET /charts/<token>.png', () => {
  const clock = new ManualClock();
  const logs: string[] = [];
  let app: BotServer;
  let base: string;
  const rendered: ChartRequest[] = [];
  const url = (node: string, expiresInMs: number) =>
    `${base}/charts/${signChartToken(
      {
        v: 1,
        kind: 'gpu-node',
        node,
        rangeMs: 3_600_000,
        end: clock.now(),
        expiresAt: clock.now() + expiresInMs,
      },
      SECRET,
    )}.png`;

  beforeAll(async () => {
    app = createServer({
      logger: createLogger({ level: 'warn', destination: { write: (l) => logs.push(l) } }),
      maxBodyBytes: 65_536,
    });
    registerChartRoutes(app, {
      secret: SECRET,
      clock,
      maxAgeSeconds: 600,
      async render(request) {
        rendered.push(request);
        if (request.node === 'node-404')
          throw new UserFacingError('UNKNOWN_NODE', 'No GPU metrics for node "node-404".');
        if (request.node === 'node-503')
          throw new MetricsBackendError('PROMETHEUS_UNAVAILABLE', 'down', true);
        if (request.node === 'node-500') throw new Error('boom');
        return PNG;
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the PNG with a private max-age bounded by the link expiry', async () => {
    const long = await fetch(url('node-7', 3_600_000));
    expect(long.status).toBe(200);
    expect(long.headers.get('cache-control')).toBe('private, max-age=600');
    expect(Buffer.from(await long.arrayBuffer())).toEqual(PNG);
    const soon = await fetch(url('node-7', 90_000));
    expect(soon.headers.get('cache-control')).toBe('private, max-age=90');
    expect(rendered.at(-1)?.node).toBe('node-7');
  });

  it('maps renderer failures: unknown node 404, backend down 503 with Retry-After, bugs 500', async () => {
    const notFound = await fetch(url('node-404', 60_000));
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({
      error: { code: 'UNKNOWN_NODE', message: 'No GPU metrics for node "node-404".' },
    });
    const down = await fetch(url('node-503', 60_000));
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('10');
    expect((await fetch(url('node-500', 60_000))).status).toBe(500);
  });

  it('never renders for a bad link', async () => {
    const before = rendered.length;
    const good = url('node-7', 60_000);
    const [payload, sig] = good.slice(`${base}/charts/`.length, -'.png'.length).split('.') as [
      string,
      string,
    ];
    const sigFlipped = `${base}/charts/${payload}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}.png`;
    // The last character has spare bits: another spelling of the same signature is refused too.
    const respelled = `${base}/charts/${payload}.${sig.slice(0, -1)}${String.fromCharCode(sig.charCodeAt(42) ^ 1)}.png`;
    expect((await fetch(respelled)).status).toBe(403);
    expect((await fetch(sigFlipped)).status).toBe(403);
    expect((await fetch(good.replace('.png', '.svg'))).status).toBe(404);
    expect((await fetch(`${base}/charts/../healthz.png`)).status).toBe(404);
    clock.advance(60_000);
    expect((await fetch(good)).status).toBe(410);
    expect(rendered.length).toBe(before);
  });
});
