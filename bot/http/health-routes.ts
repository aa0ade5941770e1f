import type { Registry } from 'prom-client';
import type { ReadinessCheck } from '../../core/readiness.ts';
import type { BotServer } from './server.ts';

/** `/healthz` (the process is alive), `/readyz` (it can do its job), `/metrics` (Prometheus). */
export function registerHealthRoutes(
  app: BotServer,
  checks: readonly ReadinessCheck[],
  registry: Registry,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          await c.check();
          return [c.name, 'ok'] as const;
        } catch (err) {
          return [c.name, `unavailable: ${(err as Error).message}`] as const;
        }
      }),
    );
    const ready = results.every(([, r]) => r === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}
