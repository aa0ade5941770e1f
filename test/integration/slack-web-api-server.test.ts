import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { ErrorCode, LogLevel, WebClient, WebClientEvent } from '@slack/web-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeBlockKitAction, type SlackActionPayload, toBlockKit } from '../../cards/render/block-kit.ts';
import { ManualClock } from '../../core/clock.ts';
import { buildMessage, type MessageInput } from '../../core/message.ts';
import { captureWebApiError, createTestWebClient, signSlackRequest } from '../servers/slack/clients.ts';
import { buildBlockActionsBody, postSignedForm } from '../servers/slack/interactions.ts';
import {
  type SlackWebApiServer,
  type SlackWebApiServerOptions,
  startSlackWebApiServer,
} from '../servers/slack-web-api.ts';

const FIXTURES = new URL('../fixtures/messages/', import.meta.url);
const fixture = (name: string) =>
  toBlockKit(
    buildMessage(JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as MessageInput),
  );

const CHANNEL = 'C0INCIDENTS';
const OTHER = 'C0GPUFLEET';
const channels = [
  { id: CHANNEL, name: 'incidents' },
  { id: OTHER, name: 'gpu-fleet' },
];

let server: SlackWebApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: SlackWebApiServerOptions = {}) {
  // Rate limiting is off unless a test is about it, so no test waits on the wall clock by accident.
  server = await startSlackWebApiServer({ channels, rateLimits: {}, ...options });
  return server;
}

const clientFor = createTestWebClient;
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The Slack error string of a call that must fail with a platform (ok:false) error. */
async function platformError(call: Promise<unknown>): Promise<{ error?: string; messages?: string[] }> {
  const { code, error, messages } = await captureWebApiError(call);
  expect(code).toBe(ErrorCode.PlatformError);
  return { error, messages };
}

describe('local Slack Web API with the real WebClient', () => {
  it('answers auth.test and checks the bearer token', async () => {
    const s = await start();
    const auth = await clientFor(s).auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'U0BOTUSER', bot_id: 'B0BOTID', team_id: 'T0ONCALL' });
    expect((await platformError(new WebClient('xoxb-wrong', { slackApiUrl: s.url }).auth.test())).error).toBe(
      'invalid_auth',
    );
    const anonymous = await fetch(`${s.url}auth.test`, { method: 'POST' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('posts a rendered card, replies in its thread, updates it and records everything', async () => {
    const s = await start();
    const client = clientFor(s);
    const card = fixture('incident-p1-firing');
    const posted = await client.chat.postMessage({ channel: CHANNEL, ...card });
    expect(posted.ok).toBe(true);
    const ts = posted.ts!;
    // WebClient sends form-encoded bodies with blocks as a JSON string; the server decodes them.
    expect(typeof s.callsTo('chat.postMessage')[0]?.args.blocks).toBe('string');
    expect(s.findMessage(CHANNEL, ts)).toMatchObject({ text: card.text, blocks: card.blocks, files: [] });

    const note = 'Evidence query took 0.8 s';
    const reply = await client.chat.postMessage({ channel: CHANNEL, thread_ts: ts, text: note });
    expect(s.thread(CHANNEL, ts).map((m) => [m.ts, m.text])).toEqual([[reply.ts, note]]);

    const resolved = fixture('incident-p1-resolved');
    const updated = await client.chat.update({ channel: CHANNEL, ts, ...resolved });
    expect(updated).toMatchObject({ ok: true, ts, channel: CHANNEL });
    const message = s.findMessage(CHANNEL, ts)!;
    expect(message.blocks).toEqual(resolved.blocks);
    expect(message.edits.map((e) => e.text)).toEqual([resolved.text]);
    expect(
      (await platformError(client.chat.update({ channel: CHANNEL, ts: '1.000000', text: 'x' }))).error,
    ).toBe('message_not_found');

    const whisper = { channel: CHANNEL, user: 'U2CERLKJA', text: 'Only you can see this' };
    const ephemeral = await client.chat.postEphemeral(whisper);
    expect(s.ephemerals).toEqual([{ ...whisper, message_ts: ephemeral.message_ts }]);
    const info = await client.conversations.info({ channel: CHANNEL });
    expect(info.channel).toMatchObject({ id: CHANNEL, name: 'incidents' });
    expect((await platformError(client.conversations.info({ channel: 'C0NOPE' }))).error).toBe(
      'channel_not_found',
    );
  });

  it('rejects blocks that break Block Kit limits, and accepts the renderer on the huge card', async () => {
    const s = await start();
    const client = clientFor(s);
    // Deliberately invalid blocks, which the SDK's types would not allow.
    const rejected = async (args: { text?: string; blocks?: unknown[] }) =>
      platformError(client.chat.postMessage({ channel: CHANNEL, text: 'x', ...args } as never));
    const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
    expect(await rejected({ blocks: [header] })).toEqual({
      error: 'invalid_blocks',
      messages: ['[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
    });
    expect((await rejected({ text: 'x'.repeat(40_001) })).error).toBe('msg_too_long');
    expect((await rejected({ text: '' })).error).toBe('no_text');
    expect((await rejected({ blocks: Array(60).fill(section('s')) })).error).toBe('invalid_blocks');
    expect((await client.chat.postMessage({ channel: CHANNEL, ...fixture('huge') })).ok).toBe(true);
    expect(s.messages).toHaveLength(1);
  });

  it('applies the observed total size limit when asked to; rendered cards stay under it', async () => {
    const s = await start({ maxBlocksChars: 13_000 });
    const client = clientFor(s);
    for (const name of ['incident-p1-firing', 'query-result', 'incident-p2-acknowledged', 'huge']) {
      expect((await client.chat.postMessage({ channel: CHANNEL, ...fixture(name) })).ok).toBe(true);
    }
    const blocks = Array(5).fill(section('s'.repeat(3000)));
    const tooLong = await platformError(client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks }));
    expect(tooLong.error).toBe('msg_blocks_too_long');
  });

  it('accepts JSON bodies too', async () => {
    const s = await start();
    const res = await fetch(`${s.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: '#incidents', text: 'hi', blocks: fixture('text-reply').blocks }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: CHANNEL });
    expect(s.messages[0]?.blocks).toEqual(fixture('text-reply').blocks);
  });
});

describe('rate limiting', () => {
  it('paces chat.postMessage per channel: 429 with Retry-After, then success once the clock moves', async () => {
    const clock = new ManualClock();
    const s = await start({
      clock,
      rateLimits: { 'chat.postMessage': { burst: 1, intervalMs: 1000, perChannel: true } },
    });
    const client = clientFor(s);
    const waits: number[] = [];
    // WebClient sleeps Retry-After seconds of real time; the server's own clock is moved here.
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => {
      waits.push(seconds);
      clock.advance(seconds * 1000);
    });
    await client.chat.postMessage({ channel: CHANNEL, text: 'first' });
    await client.chat.postMessage({ channel: OTHER, text: 'another channel has its own budget' });
    await client.chat.postMessage({ channel: CHANNEL, text: 'second' });
    expect(waits).toEqual([1]);
    expect(s.callsTo('chat.postMessage').map((c) => [c.channel, c.status])).toEqual([
      [CHANNEL, 200],
      [OTHER, 200],
      [CHANNEL, 429],
      [CHANNEL, 200],
    ]);
    expect(s.callsTo('chat.postMessage')[2]?.response).toEqual({ ok: false, error: 'ratelimited' });
    expect(s.messages.map((m) => m.text)).toEqual(['first', 'another channel has its own budget', 'second']);
  });

  it('by default allows a short burst, then about one chat.postMessage per second per channel', async () => {
    const clock = new ManualClock();
    server = await startSlackWebApiServer({ clock, channels });
    const client = clientFor(server, { rejectRateLimitedCalls: true });
    const post = (channel: string) =>
      client.chat.postMessage({ channel, text: 'x' }).then(
        () => 'ok',
        (e: { retryAfter?: number }) => `429 retry after ${e.retryAfter}`,
      );
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await post(CHANNEL));
    results.push(await post(OTHER));
    clock.advance(1000);
    results.push(await post(CHANNEL), await post(CHANNEL));
    expect(results).toEqual(['ok', 'ok', 'ok', '429 retry after 1', 'ok', 'ok', '429 retry after 1']);
  });

  it('answers 429 with a Retry-After header and the documented body', async () => {
    const clock = new ManualClock();
    const s = await start({
      clock,
      rateLimits: { 'chat.postMessage': { burst: 2, intervalMs: 1000, perChannel: true } },
    });
    const post = () =>
      fetch(`${s.url}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ channel: CHANNEL, text: 'hi' }),
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    const limited = await post();
    expect([limited.status, limited.headers.get('retry-after'), await limited.json()]).toEqual([
      429,
      '1',
      { ok: false, error: 'ratelimited' },
    ]);
    clock.advance(999);
    expect((await post()).status).toBe(429);
    clock.advance(1);
    expect((await post()).status).toBe(200);
  });

  it('retries an injected 429 and reports it to callers that handle rate limits themselves', async () => {
    const s = await start();
    s.failNext('chat.postMessage', { retryAfter: 0 });
    const posted = await clientFor(s).chat.postMessage({ channel: CHANNEL, text: 'after one 429' });
    expect(posted.ok).toBe(true);
    expect(s.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);

    const update = (client: WebClient) =>
      client.chat.update({ channel: CHANNEL, ts: posted.ts!, text: 'edit' });
    s.failNext('chat.update', { retryAfter: 7 });
    const err = await captureWebApiError(update(clientFor(s, { rejectRateLimitedCalls: true })));
    expect(err).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    s.failNext('chat.update', { error: 'fatal_error' });
    expect((await platformError(update(clientFor(s)))).error).toBe('fatal_error');
  });

  it('injects 429s at a seeded ratio; the client still delivers every message exactly once', async () => {
    const s = await start({ failureRatio: 0.4, injectedRetryAfter: 0 });
    const client = clientFor(s, { retryConfig: { retries: 20, factor: 1, minTimeout: 0, maxTimeout: 0 } });
    for (let i = 0; i < 10; i++) await client.chat.postMessage({ channel: CHANNEL, text: `m${i}` });
    const statuses = s.callsTo('chat.postMessage').map((c) => c.status);
    expect(statuses.filter((st) => st === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((st) => st === 200)).toHaveLength(10);
    expect(s.messages.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });
});

describe('files upload v2', () => {
  it('runs the three-step flow from WebClient.filesUploadV2 into a thread', async () => {
    const s = await start();
    const client = clientFor(s);
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'GPU temperature' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array(500).fill(7)]);
    const result = await client.filesUploadV2({
      channel_id: CHANNEL,
      thread_ts: parent.ts!,
      file: png,
      filename: 'gpu-temp.png',
      title: 'GPU temperature, node-7',
      alt_text: 'GPU temperature chart',
      initial_comment: 'Chart for the last hour',
    });
    expect(result.ok).toBe(true);
    expect(s.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    const [file] = [...s.files.values()];
    expect(file).toMatchObject({
      filename: 'gpu-temp.png',
      length: png.length,
      title: 'GPU temperature, node-7',
      alt_text: 'GPU temperature chart',
      completed: true,
      channel: CHANNEL,
      thread_ts: parent.ts,
    });
    expect(file?.bytes?.equals(png)).toBe(true);
    expect(s.thread(CHANNEL, parent.ts!)).toMatchObject([
      { text: 'Chart for the last hour', files: [file?.id] },
    ]);
  });

  it('refuses to complete an upload whose bytes never arrived', async () => {
    const s = await start();
    const client = clientFor(s);
    const url = await client.files.getUploadURLExternal({ filename: 'a.png', length: 10 });
    expect(url.upload_url?.startsWith(`${s.origin}/upload/v1/`)).toBe(true);
    const done = client.files.completeUploadExternal({ files: [{ id: url.file_id! }], channel_id: CHANNEL });
    expect((await platformError(done)).error).toBe('file_not_found');
  });
});

describe('Bolt against the local Web API', () => {
  it('initialises (auth.test) and posts through app.client', async () => {
    const s = await start();
    const app = new App({
      token: s.token,
      signingSecret: 'local-signing-secret',
      clientOptions: { slackApiUrl: s.url, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
      deferInitialization: true,
    });
    await app.init();
    expect(s.callsTo('auth.test')).toHaveLength(1);
    await app.client.chat.postMessage({ channel: CHANNEL, ...fixture('query-result') });
    expect(s.messages[0]?.blocks).toEqual(fixture('query-result').blocks);
  });
});

describe('Bolt receiving a button press on a rendered card', () => {
  const secret = 'local-signing-secret';

  it('signs requests like Slack (documented example)', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)['x-slack-signature']).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('decodes the chosen option and updates the card through the local Web API', async () => {
    const s = await start();
    const card = fixture('incident-p1-firing');
    const posted = await clientFor(s).chat.postMessage({ channel: CHANNEL, ...card });
    const app = new App({
      token: s.token,
      signingSecret: secret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: s.url },
    });
    const decoded: unknown[] = [];
    app.action(/^oncall:/, async ({ ack, action, body, client }) => {
      await ack();
      decoded.push(decodeBlockKitAction(action as SlackActionPayload));
      if (body.type === 'block_actions' && body.channel && body.message) {
        await client.chat.update({
          channel: body.channel.id,
          ts: body.message.ts,
          ...fixture('incident-p2-acknowledged'),
        });
      }
    });
    const http = await app.start({ port: 0, host: '127.0.0.1' });
    try {
      const events = `http://127.0.0.1:${(http.address() as AddressInfo).port}/slack/events`;
      const actions = card.blocks.find((b) => b.type === 'actions');
      const select =
        actions?.type === 'actions' ? actions.elements.find((e) => e.type === 'static_select') : undefined;
      if (!actions || select?.type !== 'static_select') throw new Error('the card has no select');
      const body = buildBlockActionsBody({
        channel: { id: CHANNEL, name: 'incidents' },
        message: { ts: posted.ts!, text: card.text, blocks: card.blocks },
        action: { ...select, block_id: actions.block_id, selected_option: select.options[2] },
      });
      expect((await postSignedForm(events, 'wrong-secret', body)).status).toBe(401);
      expect((await postSignedForm(events, secret, body, Math.floor(Date.now() / 1000) - 301)).status).toBe(
        401,
      );
      expect((await postSignedForm(events, secret, body)).status).toBe(200);
      await vi.waitFor(() => expect(s.findMessage(CHANNEL, posted.ts!)?.edits).toHaveLength(1));
      expect(decoded).toEqual([{ verb: 'silence', data: { incident: 'INC-42', duration: '4h' } }]);
      expect(s.findMessage(CHANNEL, posted.ts!)?.blocks).toEqual(fixture('incident-p2-acknowledged').blocks);
    } finally {
      await app.stop();
    }
  });
});
