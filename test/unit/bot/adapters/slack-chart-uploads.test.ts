import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchChartOverHttp,
  threadFiles,
  withChartsInThread,
} from '../../../../bot/adapters/slack/chart-uploads.ts';
import { createSlackSurface } from '../../../../bot/adapters/slack.ts';
import { ManualClock } from '../../../../core/clock.ts';
import { DeliveryError } from '../../../../core/errors.ts';
import { buildMessage, type Message } from '../../../../core/message.ts';
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
    expect(threadFiles(m)).toEqual([{ url: TOKEN_URL, alt: 'GPU temperature, node-7, last hour' }]);
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
  const clock = new ManualClock();
  const fetchChart = fetchChartOverHttp(clock);
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
    expect(await fetchChart(base)).toEqual(PNG);
  });

  it('an expired or forged link is not retried; a busy backend is, after Retry-After', async () => {
    answers.push({ status: 410 }, { status: 503, retryAfter: '10' });
    const expired = await fetchChart(base).catch((e: unknown) => e as DeliveryError);
    expect(expired).toMatchObject({ code: 'CHART_HTTP_410', retryable: false });
    // The link's token must not end up in logs through the error.
    expect((expired as Error).message).not.toContain('secret-token');
    const busy = await fetchChart(base).catch((e: unknown) => e as DeliveryError);
    expect(busy).toMatchObject({ code: 'CHART_HTTP_503', retryable: true, retryAfterMs: 10_000 });
  });

  it('reads a Retry-After HTTP date against the injected clock', async () => {
    answers.push({ status: 503, retryAfter: new Date(clock.now() + 20_000).toUTCString() });
    const busy = await fetchChart(base).catch((e: unknown) => e as DeliveryError);
    expect(busy).toMatchObject({ code: 'CHART_HTTP_503', retryable: true, retryAfterMs: 20_000 });
  });

  it('a refused connection is retryable', async () => {
    const closed = base.replace(/:\d+\//, ':9/');
    await expect(fetchChart(closed)).rejects.toMatchObject({
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

  const surface = (fetchChart: (url: string, type?: string) => Promise<Buffer>) =>
    createSlackSurface(deps(fetchChart));

  const chartOf = (m: Message) => createSlackSurface(deps(async () => PNG)).attachmentsOf!(m)[0]!;
  const deps = (fetchChart: (url: string, type?: string) => Promise<Buffer>) => ({
    client: new WebClient(slack.token, {
      slackApiUrl: slack.url,
      logLevel: LogLevel.ERROR,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    }),
    clock,
    scrub: (s: string) => s,
    postIntervalMs: 0,
    fetchChart,
  });

  it('posts the card without its charts; they are attachments the outbox sends afterwards', async () => {
    const s = surface(async () => PNG);
    const ref = await s.post('C0INCIDENTS', card());
    expect(JSON.stringify(slack.findMessage('C0INCIDENTS', ref.id)?.blocks)).toContain('chart in the thread');
    expect(slack.files.size).toBe(0);
    expect(s.attachmentsOf!(card())).toEqual([{ url: TOKEN_URL, alt: 'GPU temperature, node-7, last hour' }]);
    await s.sendAttachment!(ref, chartOf(card()), 0);
    const reply = slack.thread('C0INCIDENTS', ref.id).find((m) => m.files.length === 1)!;
    expect(slack.files.get(reply.files[0]!)?.bytes).toEqual(PNG);
  });

  it('a chart that can never be fetched is left out; nothing to retry', async () => {
    const s = surface(async () => {
      throw new DeliveryError('CHART_HTTP_410', 'chart fetch answered HTTP 410', false);
    });
    const ref = await s.post('C0INCIDENTS', card());
    await expect(s.sendAttachment!(ref, chartOf(card()), 0)).resolves.toBeUndefined();
    expect(slack.files.size).toBe(0);
  });

  it('a retryable chart failure fails only the attachment, with its Retry-After', async () => {
    const s = surface(async () => {
      throw new DeliveryError('CHART_HTTP_503', 'busy', true, 10_000);
    });
    const ref = await s.post('C0INCIDENTS', card());
    await expect(s.sendAttachment!(ref, chartOf(card()), 0)).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 10_000,
    });
    expect(slack.messages).toHaveLength(1);
  });

  it('a chart of a thread reply goes into the same thread', async () => {
    const s = surface(async () => PNG);
    const root = await s.post('C0INCIDENTS', buildMessage({ sections: [{ kind: 'text', text: 'root' }] }));
    const reply = await s.reply(root, card());
    expect(reply.extra.threadId).toBe(root.id);
    await s.sendAttachment!(reply, chartOf(card()), 0);
    const files = [...slack.files.values()];
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ thread_ts: root.id, completed: true });
  });

  it('uploads a postmortem draft the message links to as a Markdown file in its thread', async () => {
    const link = 'https://bot.example.com/postmortems/eyJ2IjoxfQ.c2lnbmF0dXJl/INC-7-postmortem.md';
    const draft = buildMessage({
      sections: [
        {
          kind: 'links',
          links: [
            {
              title: 'Download INC-7-postmortem.md',
              url: link,
              file: { name: 'INC-7-postmortem.md', type: 'text/markdown' },
            },
          ],
        },
        // A link the bot did not mark as its own download is a link, however its path looks.
        { kind: 'links', links: [{ title: 'Runbook', url: 'https://wiki.example.com/postmortems/x/y.md' }] },
      ],
    });
    const asked: Array<[string, string | undefined]> = [];
    const markdown = Buffer.from('# INC-7 postmortem draft\n');
    const s = surface(async (url, type) => {
      asked.push([url, type]);
      return markdown;
    });
    const [file, ...rest] = s.attachmentsOf!(draft);
    expect(rest).toEqual([]);
    expect(file).toEqual({
      url: link,
      alt: 'Download INC-7-postmortem.md',
      title: 'INC-7-postmortem.md',
      file: { name: 'INC-7-postmortem.md', type: 'text/markdown' },
    });
    const root = await s.post('C0INCIDENTS', buildMessage({ sections: [{ kind: 'text', text: 'INC-7' }] }));
    const reply = await s.reply(root, draft);
    await s.sendAttachment!(reply, file!, 0);
    expect(asked).toEqual([[link, 'text/markdown']]);
    expect([...slack.files.values()]).toMatchObject([
      { filename: 'INC-7-postmortem.md', bytes: markdown, thread_ts: root.id, completed: true },
    ]);
  });

  it('finds a message by the delivery key it was posted with, in the channel or in a thread', async () => {
    const s = surface(async () => PNG);
    const since = clock.now();
    const ref = await s.post('C0INCIDENTS', card(), { key: 'incident:7' });
    await s.post('C0INCIDENTS', card(), { key: 'incident:8' });
    const where = { channel: 'C0INCIDENTS', thread: null };
    expect(await s.findPosted!(where, 'incident:7', since)).toEqual(ref);
    expect(await s.findPosted!(where, 'incident:9', since)).toBeUndefined();
    const reply = await s.reply(ref, card(), { key: 'outbox:42' });
    expect(await s.findPosted!({ ...where, thread: ref }, 'outbox:42', since)).toEqual(reply);
    // Messages older than the delivery (and a minute of clock skew) are not searched.
    expect(await s.findPosted!(where, 'incident:7', since + 120_000)).toBeUndefined();
  });
});
