import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';

const CHANNEL = 'C0INCIDENTS';

/**
 * A local Slack for Socket Mode: the Web API (`auth.test`, `apps.connections.open` handing out a
 * ws:// URL, `chat.postMessage`) and the WebSocket that delivers envelopes and receives acks.
 */
async function startSocketSlack() {
  const calls: { method: string; auth: string; body: string }[] = [];
  const acks: string[] = [];
  let socket: WebSocket | undefined;
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '');
      calls.push({ method, auth: req.headers.authorization ?? '', body: Buffer.concat(chunks).toString() });
      const { port } = server.address() as AddressInfo;
      const answer =
        method === 'apps.connections.open'
          ? { ok: true, url: `ws://127.0.0.1:${port}/link` }
          : method === 'auth.test'
            ? { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0' }
            : { ok: true, channel: CHANNEL, ts: `1800000000.00000${calls.length}` };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  const wss = new WebSocketServer({ server, path: '/link' });
  wss.on('connection', (s) => {
    socket = s;
    s.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { envelope_id?: string };
      if (msg.envelope_id) acks.push(msg.envelope_id);
    });
    s.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0ONCALL' } }));
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    acks,
    ready,
    deliver(envelope: Record<string, unknown>) {
      socket!.send(JSON.stringify(envelope));
    },
    close() {
      wss.close();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('Slack Socket Mode', () => {
  let slack: Awaited<ReturnType<typeof startSocketSlack>> | undefined;
  let bot: TestBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    await slack?.close();
  });

  it('connects with the app token, acknowledges a slash command envelope and answers in the channel', async () => {
    slack = await startSocketSlack();
    bot = await startTestBot({
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-socket',
      SLACK_APP_TOKEN: 'xapp-1-socket-test',
      SLACK_CHANNEL: CHANNEL,
      SLACK_API_URL: slack.url,
    });
    await slack.ready;
    const open = slack.calls.find((c) => c.method === 'apps.connections.open');
    expect(open?.auth).toBe('Bearer xapp-1-socket-test');
    // No public endpoint is needed (or offered) without a signing secret.
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST' })).status).toBe(404);

    slack.deliver({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        command: '/alerts',
        text: '',
        user_id: 'U0ALICE',
        user_name: 'alice',
        channel_id: CHANNEL,
        team_id: 'T0',
        api_app_id: 'A0ONCALL',
        response_url: 'http://127.0.0.1:9/response',
        trigger_id: '1.2.3',
      },
    });
    for (let i = 0; i < 300 && !slack.acks.includes('env-1'); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(slack.acks).toContain('env-1');
    for (let i = 0; i < 300 && !slack.calls.some((c) => c.method === 'chat.postMessage'); i++) {
      await bot.flush();
      await new Promise((r) => setTimeout(r, 10));
    }
    const posted = slack.calls.find((c) => c.method === 'chat.postMessage');
    expect(posted?.auth).toBe('Bearer xoxb-socket');
    expect(new URLSearchParams(posted!.body).get('text')).toMatch(/open incident/i);
  });
});
