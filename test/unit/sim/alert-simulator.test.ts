import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../bot/logger.ts';
import { ManualClock } from '../../../core/clock.ts';
import { startAlertSimulator } from '../../../sim/alert-simulator.ts';
import { aiPlatformIncidents } from '../../../sim/scenarios/ai-platform-incidents.ts';

/** A webhook receiver on a port from the OS that keeps each body it is sent. */
async function receiver(): Promise<{ server: Server; url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(202).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

describe('alert simulator', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it("tells the story on the telemetry's time line (the platform's start on the bot's clock), not the wall clock's", async () => {
    const clock = new ManualClock();
    const startedAt = clock.now(); // when the platform (and its telemetry) started
    clock.advance(40_000); // the bot took 40 s more to listen
    const rx = await receiver();
    server = rx.server;
    const sim = startAlertSimulator({
      botUrl: rx.url,
      token: 't',
      logger: createLogger({ level: 'silent' }),
      clock,
      startMs: startedAt,
      timeScale: 1000,
    });
    await sim.done;
    sim.stop();
    const expected = aiPlatformIncidents(startedAt, 1).map((s) => JSON.stringify(s.body));
    expect(rx.bodies.map((b) => JSON.stringify(b)).sort()).toEqual(expected.sort());
  });
});
