import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackBolt } from '../../../../bot/adapters/slack/bolt-app.ts';
import { createLogger } from '../../../../bot/logger.ts';
import { type SlackWebApiServer, startSlackWebApiServer } from '../../../servers/slack-web-api.ts';

const logger = createLogger({ level: 'silent', secrets: [] });
const dispatcher = { commandNames: new Set<string>(), dispatch: async () => undefined };

let server: SlackWebApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('SlackBolt start-up', () => {
  it('keeps retrying while Slack is unreachable and becomes ready once auth.test answers', async () => {
    // A port nobody listens on yet; the "Slack" that comes back later listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const pending: (() => Promise<void>)[] = [];
    const bolt = new SlackBolt({
      token: 'xoxb-test-token',
      apiUrl: `http://127.0.0.1:${port}/api/`,
      dispatcher,
      logger,
      schedule: (run) => {
        pending.push(run);
        return { cancel: () => undefined };
      },
    });
    await bolt.start();
    expect(bolt.isReady).toBe(false);
    await expect(bolt.check()).rejects.toThrow(/slack not connected/);
    await pending.shift()!();
    expect(bolt.isReady).toBe(false);
    expect(pending).toHaveLength(1);

    const calls: string[] = [];
    const slack = createServer((req, res) => {
      calls.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0' }));
    });
    await new Promise<void>((resolve) => slack.listen(port, '127.0.0.1', resolve));
    try {
      await pending.shift()!();
      expect(bolt.isReady).toBe(true);
      await expect(bolt.check()).resolves.toBeUndefined();
      expect(calls).toEqual(['/api/auth.test']);
      expect(pending).toHaveLength(0);
    } finally {
      slack.closeAllConnections();
      await new Promise((resolve) => slack.close(resolve));
    }
  });

  it('a rejected token is not ready either', async () => {
    server = await startSlackWebApiServer({ token: 'xoxb-right' });
    const bolt = new SlackBolt({
      token: 'xoxb-wrong',
      apiUrl: server.url,
      dispatcher,
      logger,
      schedule: () => ({ cancel: () => undefined }),
    });
    await bolt.start();
    expect(bolt.isReady).toBe(false);
    await expect(bolt.check()).rejects.toThrow(/invalid_auth/);
  });
});
