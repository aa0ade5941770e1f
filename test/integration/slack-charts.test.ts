import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';
import { postSignedForm } from '../servers/slack/interactions.ts';
import { type SlackWebApiServer, startSlackWebApiServer } from '../servers/slack-web-api.ts';

const CHANNEL = 'C0INCIDENTS';
const SECRET = 'slack-signing-secret-for-tests';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('Slack: incident charts are uploaded into the card thread (files upload v2)', () => {
  let slack: SlackWebApiServer;
  let bot: TestBot;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    slack = await startSlackWebApiServer({ clock, channels: [{ id: CHANNEL, name: 'incidents' }] });
    bot = await startTestBot(
      {
        HOST: '127.0.0.1',
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_CHANNEL: CHANNEL,
        SLACK_API_URL: slack.url,
        // Local mode: the simulated fleet backs the GPU chart of the node-7 alert.
        BOT_MODE: 'local',
      },
      clock,
      { localPlatform: true },
    );
    await bot.waitReady('slack');
  });
  afterEach(async () => {
    await bot.stop();
    await slack.close();
  });

  const cards = () => slack.messages.filter((m) => m.channel === CHANNEL && !m.thread_ts);
  const chartReplies = (ts: string) => slack.thread(CHANNEL, ts).filter((m) => m.files.length > 0);

  it('posts the card first, then shares the chart PNG as a reply in its thread', async () => {
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(202);
    await bot.flush();

    expect(cards()).toHaveLength(1);
    const card = cards()[0]!;
    const blocks = JSON.stringify(card.blocks);
    // No image_url Slack would have to fetch from the bot; the card points at the thread instead.
    expect(blocks).not.toContain('image_url');
    expect(blocks).toContain('chart in the thread');

    const [reply] = chartReplies(card.ts);
    expect(reply).toBeDefined();
    const file = slack.files.get(reply!.files[0]!)!;
    expect(file).toMatchObject({ completed: true, channel: CHANNEL, thread_ts: card.ts });
    expect([...file.bytes!.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(file.bytes!.length).toBe(file.length);
    expect(file.alt_text).toMatch(/node-7/);

    const order = slack.calls.map((c) => c.method).filter((m) => m !== 'auth.test');
    expect(order.slice(0, 4)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    // The chart URL carries a signed token: it must not leak into Slack.
    expect(JSON.stringify(slack.calls.map((c) => c.args))).not.toMatch(/\/charts\//);
  });

  it('a failed upload is retried by the outbox without posting the card again', async () => {
    slack.failNext('files.completeUploadExternal', { retryAfter: 30 });
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
    expect(cards()).toHaveLength(1); // the card is not held up by its chart
    expect(chartReplies(cards()[0]!.ts)).toHaveLength(0);

    clock.advance(31_000);
    await bot.flush();
    expect(cards()).toHaveLength(1);
    expect(chartReplies(cards()[0]!.ts)).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.status === 200)).toHaveLength(1);
    expect(slack.callsTo('files.completeUploadExternal').map((c) => c.status)).toEqual([429, 200]);
  });

  it('updates keep the chart out of the card and do not upload it again', async () => {
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-resolved.json'));
    await bot.flush();
    const card = cards()[0]!;
    expect(card.edits.length).toBeGreaterThan(0);
    expect(JSON.stringify(card.blocks)).not.toContain('image_url');
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });

  it('/gpu node-7 answers with its card and the node chart in the card thread', async () => {
    const body = new URLSearchParams({
      command: '/gpu',
      text: 'node-7',
      user_id: 'U0ALICE',
      user_name: 'alice',
      channel_id: CHANNEL,
      channel_name: 'incidents',
      team_id: 'T0ONCALL',
      api_app_id: 'A0ONCALL',
      response_url: 'http://127.0.0.1:9/response',
      trigger_id: '1.2.3',
    }).toString();
    const res = await postSignedForm(`${bot.url}/slack/events`, SECRET, body, Math.floor(clock.now() / 1000));
    expect(res.status).toBe(200);
    // Slack has its 200 at once; the card follows when the command has read DCGM and the cluster.
    const card = await vi.waitFor(
      async () => {
        await bot.flush();
        const posted = cards().find((m) => (m.text ?? '').includes('GPU node node-7'));
        if (!posted) throw new Error('no /gpu card yet');
        return posted;
      },
      { timeout: 10_000, interval: 50 },
    );
    const [reply] = chartReplies(card!.ts);
    const file = slack.files.get(reply!.files[0]!)!;
    expect([...file.bytes!.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });
});
