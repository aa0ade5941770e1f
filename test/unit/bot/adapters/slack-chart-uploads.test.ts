import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chartImages,
  fetchChartOverHttp,
  withChartsInThread,
} from '../../../../bot/adapters/slack/chart-uploads.ts';
import { createSlackSurface } from '../../../../bot/adapters/slack.ts';
import { ManualClock } from '../../../../bot/clock.ts';
import { DeliveryError } from '../../../../bot/errors.ts';
import { buildMessage, type Message } from '../../../../cards/model.ts';
import { type SlackWebApiServer, startSlackWebApiServer } from '../../../servers/slack-web-api.ts';

const TOKEN_URL = 'https://bot.example.com/charts/eyJub2RlIjoibm9kZS03In0.c2lnbmF0dXJl.png';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

const card = (): Message =>
  buildMessage({
    header: { title: 'GPU 3 on node-7 is hot', tier: 'P2', status: 'firing' },
    sections: [
      { kind: 'text', text: 'DCGM says 87 °C' },
      { kind: 'image', url: TOKEN_URL, alt: 'GPU temperature, node-7, last hour' },
      { kind: 'image', url: 'https://grafana.example.com/render/panel.png', alt: 'Grafana panel' },
    ],
  });

describe('which images are charts', () => {
  it('only signed /charts/<token>.png links are uploaded; the card points at the thread instead', () => {
    const m = card();
    expect(chartImages(m)).toEqual([{ url: TOKEN_URL, alt: 'GPU temperature, node-7, last hour' }]);
    const shown = withChartsInThread(m);
    expect(shown.sections[1]).toEqual({
      kind: 'text',
      text: '📈 GPU temperature, node-7, last hour (chart in the thread)',
    });
    expect(shown.sections[2]).toEqual(m.sections[2]);
    const plain = buildMessage({ sections: [{ kind: 'text', text: 'no charts' }] });
    expect(withChartsInThread(plain)).toBe(plain);
  });
});

describe('fetchChartOverHttp', () => {
  let server: Server;
  let base: string;
  const answers: { status: number; type?: string; retryAfter?: string }[] = [];
  beforeEach(async () => {
    server = createServer((_req, res) => {
      const a = answers.shift() ?? { status: 200, type: 'image/png' };
      res.writeHead(a.status, {
        'content-type': a.type ?? 'application/json',
        ...(a.retryAfter ? { 'retry-after': a.retryAfter } : {}),
      });
      res.end(a.status === 200 ? PNG : '{"error":{"code":"X"}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charts/secret-token.png`;
  });
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  it('returns the PNG bytes', async () => {
    expect(await fetchChartOverHttp(base)).toEqual(PNG);
  });

  it('an expired or forged link is not retried; a busy backend is, after Retry-After', async () => {
    answers.push({ status: 410 }, { status: 503, retryAfter: '10' });
    const expired = await fetchChartOverHttp(base).catch((e: unknown) => e as DeliveryError);
    expect(expired).toMatchObject({ code: 'CHART_HTTP_410', retryable: false });
    // The link's token must not end up in logs through the error.
    expect((expired as Error).message).not.toContain('secret-token');
    const busy = await fetchChartOverHttp(base).catch((e: unknown) => e as DeliveryError);
    expect(busy).toMatchObject({ code: 'CHART_HTTP_503', retryable: true, retryAfterMs: 10_000 });
  });

  it('a refused connection is retryable', async () => {
    const closed = base.replace(/:\d+\//, ':9/');
    await expect(fetchChartOverHttp(closed)).rejects.toMatchObject({
      code: 'CHART_UNREACHABLE',
      retryable: true,
    });
  });
});

describe('Slack surface with charts', () => {
  let slack: SlackWebApiServer;
  const clock = new ManualClock();
  beforeEach(async () => {
    slack = await startSlackWebApiServer({ clock, rateLimits: {} });
  });
  afterEach(() => slack.close());

  const surface = (fetchChart: (url: string) => Promise<Buffer>) =>
    createSlackSurface({
      client: new WebClient(slack.token, {
        slackApiUrl: slack.url,
        logLevel: LogLevel.ERROR,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      }),
      clock,
      scrub: (s) => s,
      postIntervalMs: 0,
      fetchChart,
    });

  it('a chart that can never be fetched is left out; the card still goes out', async () => {
    const s = surface(async () => {
      throw new DeliveryError('CHART_HTTP_410', 'chart fetch answered HTTP 410', false);
    });
    const ref = await s.post('C0INCIDENTS', card());
    expect(slack.findMessage('C0INCIDENTS', ref.id)).toBeDefined();
    expect(slack.files.size).toBe(0);
  });

  it('a retryable failure fails the delivery; the retry uploads without posting the card again', async () => {
    let fail = true;
    const s = surface(async () => {
      if (fail) throw new DeliveryError('CHART_HTTP_503', 'busy', true, 10_000);
      return PNG;
    });
    await expect(s.post('C0INCIDENTS', card())).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 10_000,
    });
    expect(slack.messages).toHaveLength(1);
    fail = false;
    const ref = await s.post('C0INCIDENTS', card());
    expect(slack.messages.filter((m) => !m.thread_ts)).toHaveLength(1);
    const reply = slack.thread('C0INCIDENTS', ref.id).find((m) => m.files.length === 1)!;
    expect(slack.files.get(reply.files[0]!)?.bytes).toEqual(PNG);
  });

  it('a chart in a thread reply goes into the same thread', async () => {
    const s = surface(async () => PNG);
    const root = await s.post('C0INCIDENTS', buildMessage({ sections: [{ kind: 'text', text: 'root' }] }));
    const reply = await s.reply(root, card());
    expect(reply.extra.threadId).toBe(root.id);
    const files = [...slack.files.values()];
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ thread_ts: root.id, completed: true });
  });

  it('two identical cards delivered at once are both posted, each with its chart', async () => {
    const s = surface(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return PNG;
    });
    const [a, b] = await Promise.all([s.post('C0INCIDENTS', card()), s.post('C0INCIDENTS', card())]);
    expect(a.id).not.toBe(b.id);
    expect(slack.thread('C0INCIDENTS', a.id).filter((m) => m.files.length)).toHaveLength(1);
    expect(slack.thread('C0INCIDENTS', b.id).filter((m) => m.files.length)).toHaveLength(1);
  });
});
