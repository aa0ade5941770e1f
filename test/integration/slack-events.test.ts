import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';
import { signSlackRequest } from '../servers/slack/clients.ts';
import { buildBlockActionsBody, postSignedForm } from '../servers/slack/interactions.ts';
import { type SlackWebApiServer, startSlackWebApiServer } from '../servers/slack-web-api.ts';

const CHANNEL = 'C0INCIDENTS';
const SECRET = 'slack-signing-secret-for-tests';

function slashBody(command: string, text: string, user = 'U0ALICE'): string {
  return new URLSearchParams({
    token: 'unused',
    team_id: 'T0ONCALL',
    channel_id: CHANNEL,
    channel_name: 'incidents',
    user_id: user,
    user_name: 'alice',
    command,
    text,
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: '1.2.3',
    api_app_id: 'A0ONCALL',
  }).toString();
}

describe('Slack end to end: Bolt inbound, Web API outbound, through the outbox', () => {
  let slack: SlackWebApiServer;
  let bot: TestBot;
  let clock: ManualClock;
  const nowSec = () => Math.floor(clock.now() / 1000);
  const events = () => `${bot.url}/slack/events`;

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
      },
      clock,
    );
    await bot.waitReady('slack');
  });
  afterEach(async () => {
    await bot.stop();
    await slack.close();
  });

  async function postCard() {
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
    const card = slack.messages.find((m) => m.channel === CHANNEL && !m.thread_ts);
    if (!card) throw new Error('no card posted to Slack');
    return card;
  }

  it('posts the incident card as Block Kit with a text fallback', async () => {
    const card = await postCard();
    expect(card.text).toContain('node-7');
    expect(JSON.stringify(card.blocks)).toContain('"type":"actions"');
    expect(slack.callsTo('chat.postMessage')[0]?.status).toBe(200);
  });

  it('a pressed button is acknowledged, updates the card and answers in its thread', async () => {
    const card = await postCard();
    const actions = (card.blocks as { type: string; elements?: Record<string, unknown>[] }[]).find(
      (b) => b.type === 'actions',
    );
    const ack = actions?.elements?.find((e) => String(e.action_id).startsWith('oncall:ack:'));
    expect(ack).toBeDefined();
    const body = buildBlockActionsBody({
      channel: { id: CHANNEL, name: 'incidents' },
      message: { ts: card.ts, text: card.text ?? '', blocks: card.blocks ?? [] },
      action: { ...(ack as { action_id: string }), block_id: 'b1' },
      userId: 'U0BOB',
    });
    const res = await postSignedForm(events(), SECRET, body, nowSec());
    expect(res.status).toBe(200);
    clock.advance(1100); // the thread reply waits for the channel's next postMessage slot
    await bot.flush();
    clock.advance(1100);
    await bot.flush();
    const updated = slack.findMessage(CHANNEL, card.ts)!;
    expect(updated.edits.length).toBeGreaterThan(0);
    expect(updated.text).toContain('ACKNOWLEDGED');
    const thread = slack.thread(CHANNEL, card.ts).filter((m) => m.ts !== card.ts);
    expect(thread.some((m) => (m.text ?? '').includes('acknowledged by'))).toBe(true);
  });

  it('slash commands are acknowledged at once and answered in the channel through the outbox', async () => {
    await postCard();
    clock.advance(1100);
    const res = await postSignedForm(events(), SECRET, slashBody('/alerts', ''), nowSec());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await bot.flush();
    const answer = slack.messages.at(-1)!;
    expect(answer.channel).toBe(CHANNEL);
    expect(answer.text).toContain('open incident');
  });

  it('an unknown slash command gets a helpful answer, not silence', async () => {
    const res = await postSignedForm(events(), SECRET, slashBody('/nosuch', 'x'), nowSec());
    expect(res.status).toBe(200);
    await bot.flush();
    expect(slack.messages.at(-1)?.text).toContain('/help');
  });

  it('rejects a wrong signature and a stale timestamp with 401, and answers url_verification', async () => {
    const wrong = await postSignedForm(events(), 'not-the-secret', slashBody('/alerts', ''), nowSec());
    expect(wrong.status).toBe(401);
    const stale = await postSignedForm(events(), SECRET, slashBody('/alerts', ''), nowSec() - 301);
    expect(stale.status).toBe(401);
    await bot.flush();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);

    const challenge = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    const res = await fetch(events(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, challenge, nowSec()) },
      body: challenge,
    });
    expect(await res.json()).toEqual({ challenge: 'c-123' });
  });

  it('rejects a correctly signed request stamped more than 5 minutes in the future', async () => {
    const future = { '+6 min': 6 * 60, '+1 day': 86_400, '+10 years': 10 * 365 * 86_400 };
    for (const [label, ahead] of Object.entries(future)) {
      const res = await postSignedForm(events(), SECRET, slashBody('/alerts', ''), nowSec() + ahead);
      expect(res.status, label).toBe(401);
    }
    const eventBody = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0ONCALL',
      api_app_id: 'A0ONCALL',
      event_id: 'EvFuture',
      event_time: nowSec() + 3600,
      event: { type: 'app_mention', user: 'U0ALICE', text: '<@U0BOT> /alerts', channel: CHANNEL, ts: '1.1' },
    });
    const event = await fetch(events(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signSlackRequest(SECRET, eventBody, nowSec() + 3600),
      },
      body: eventBody,
    });
    expect(event.status).toBe(401);
    await bot.flush();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);

    // Inside the window either way is accepted: Slack's clock and ours may differ a little.
    for (const skew of [299, -299]) {
      const res = await postSignedForm(events(), SECRET, slashBody('/alerts', ''), nowSec() + skew);
      expect(res.status, `skew ${skew}s`).toBe(200);
    }
  });

  it('an app_mention in a card thread runs the command there', async () => {
    const card = await postCard();
    clock.advance(1100);
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0ONCALL',
      api_app_id: 'A0ONCALL',
      event_id: 'Ev1',
      event_time: nowSec(),
      event: {
        type: 'app_mention',
        user: 'U0CAROL',
        text: '<@U0BOTUSER> ack',
        ts: '1800000000.000100',
        thread_ts: card.ts,
        channel: CHANNEL,
        event_ts: '1800000000.000100',
      },
    });
    const res = await fetch(events(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, body, nowSec()) },
      body,
    });
    expect(res.status).toBe(200);
    await bot.flush();
    clock.advance(1100);
    await bot.flush();
    expect(slack.findMessage(CHANNEL, card.ts)?.text).toContain('ACKNOWLEDGED');
  });

  it('retries after a 429 with Retry-After and never drops the card', async () => {
    slack.failNext('chat.postMessage', { retryAfter: 30 });
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
    expect(slack.messages).toHaveLength(0);
    clock.advance(60_000);
    await bot.flush();
    expect(slack.messages).toHaveLength(1);
    const [limited, posted] = slack.callsTo('chat.postMessage');
    expect(limited?.status).toBe(429);
    expect(posted?.status).toBe(200);
    expect(posted!.at - limited!.at).toBeGreaterThanOrEqual(30_000);
  });
});

describe('Slack unreachable at start-up', () => {
  it('the bot starts, /readyz says Slack is not ready, and the console keeps working', async () => {
    const gone = await startSlackWebApiServer();
    const url = gone.url;
    await gone.close();
    const bot = await startTestBot({
      BOT_MODE: 'local', // the console (the surface that must keep working) runs in local mode
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_CHANNEL: CHANNEL,
      SLACK_API_URL: url,
    });
    try {
      const ready = await fetch(`${bot.url}/readyz`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { checks: Record<string, string> };
      expect(body.checks.slack).toMatch(/^unavailable: slack not connected/);
      expect(body.checks.store).toBe('ok');
      expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(202);
      await bot.flush();
      expect((await bot.consoleMessages()).some((m) => m.text.includes('node-7'))).toBe(true);
    } finally {
      await bot.stop();
    }
  });
});

describe('Slack configured without its signing secret', () => {
  it('stays off, and /readyz names the missing settings', async () => {
    const bot = await startTestBot({ HOST: '127.0.0.1', SLACK_BOT_TOKEN: 'xoxb-test-token' });
    try {
      const body = (await (await fetch(`${bot.url}/readyz`)).json()) as { checks: Record<string, string> };
      expect(body.checks.slack).toMatch(/SLACK_SIGNING_SECRET.*SLACK_CHANNEL/);
      expect((await fetch(`${bot.url}/slack/events`, { method: 'POST' })).status).toBe(404);
    } finally {
      await bot.stop();
    }
  });
});
