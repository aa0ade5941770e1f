import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';
import {
  type BotConnectorServer,
  startBotConnectorServer,
  teamsActivities,
} from '../servers/bot-connector.ts';
import { buildBlockActionsBody, postSignedForm } from '../servers/slack/interactions.ts';
import { type SlackWebApiServer, startSlackWebApiServer } from '../servers/slack-web-api.ts';

/**
 * One set of scenarios, run against every chat surface through its real inbound endpoint and a
 * local stand-in for its platform: post an alert card, update it, reply in its thread, press a
 * button (the user is platform-qualified), run a command.
 */

interface Posted {
  id: string;
  /** Notification/fallback text. */
  text: string;
  /** The whole rendered payload (card, blocks), for content checks. */
  payload: string;
}

interface Harness {
  bot: TestBot;
  /** Top-level messages in the on-call channel, latest version of each. */
  channel(): Promise<Posted[]>;
  /** Replies in a message's thread. */
  thread(id: string): Promise<Posted[]>;
  /** Everything the bot posted, anywhere. */
  all(): Promise<Posted[]>;
  press(card: Posted, verb: string, data: Record<string, unknown>, user: string): Promise<void>;
  say(user: string, text: string): Promise<void>;
  /** How the platform names the user in the bot (display name, platform-qualified id). */
  who(user: string): { name: string; id: string };
  close(): Promise<void>;
}

const SLACK_CHANNEL = 'C0INCIDENTS';
const SECRET = 'conformance-signing-secret';

async function consoleHarness(): Promise<Harness> {
  const bot = await startTestBot();
  const list = async () =>
    (await bot.consoleMessages()).map((m) => ({ ...m, payload: JSON.stringify(m.card) }));
  const post = (path: string, body: unknown) =>
    fetch(`${bot.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return {
    bot,
    channel: async () => (await list()).filter((m) => !m.threadId && m.author === 'bot'),
    thread: async (id) => (await list()).filter((m) => m.threadId === id && m.author === 'bot'),
    all: async () => (await list()).filter((m) => m.author === 'bot'),
    press: async (card, verb, data, user) => {
      expect((await post('/api/console/actions', { user, messageId: card.id, verb, data })).status).toBe(200);
    },
    say: async (user, text) => {
      expect((await post('/api/console/messages', { user, text })).status).toBe(202);
    },
    who: (user) => ({ name: user, id: `console:${user}` }),
    close: () => bot.stop(),
  };
}

async function slackHarness(): Promise<Harness> {
  const clock = new ManualClock();
  const slack: SlackWebApiServer = await startSlackWebApiServer({
    clock,
    channels: [{ id: SLACK_CHANNEL, name: 'incidents' }],
  });
  const bot = await startTestBot(
    {
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_CHANNEL,
      SLACK_API_URL: slack.url,
    },
    clock,
  );
  for (let i = 0; i < 200 && !(await fetch(`${bot.url}/readyz`)).ok; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const events = `${bot.url}/slack/events`;
  const nowSec = () => Math.floor(clock.now() / 1000);
  const asPosted = (m: SlackWebApiServer['messages'][number]): Posted => ({
    id: m.ts,
    text: m.text ?? '',
    payload: JSON.stringify(m.blocks),
  });
  return {
    bot,
    channel: async () =>
      slack.messages.filter((m) => m.channel === SLACK_CHANNEL && !m.thread_ts).map(asPosted),
    all: async () => slack.messages.map(asPosted),
    thread: async (ts) =>
      slack
        .thread(SLACK_CHANNEL, ts)
        .filter((m) => m.ts !== ts)
        .map(asPosted),
    press: async (card, verb, _data, user) => {
      const message = slack.findMessage(SLACK_CHANNEL, card.id)!;
      const elements = (message.blocks as { type: string; elements?: { action_id: string }[] }[])
        .filter((b) => b.type === 'actions')
        .flatMap((b) => b.elements ?? []);
      const button = elements.find((e) => e.action_id.startsWith(`oncall:${verb}:`));
      const action = button ?? { action_id: `oncall:${verb}:0`, value: '{}' };
      const body = buildBlockActionsBody({
        channel: { id: SLACK_CHANNEL, name: 'incidents' },
        message: { ts: message.ts, text: message.text ?? '', blocks: message.blocks ?? [] },
        action: { ...action, block_id: 'actions-1' },
        userId: `U0${user.toUpperCase()}`,
      });
      expect((await postSignedForm(events, SECRET, body, nowSec())).status).toBe(200);
    },
    say: async (user, text) => {
      const [command, ...rest] = text.split(' ');
      const body = new URLSearchParams({
        team_id: 'T0ONCALL',
        channel_id: SLACK_CHANNEL,
        user_id: `U0${user.toUpperCase()}`,
        user_name: user,
        command: command!.startsWith('/') ? command! : `/${command}`,
        text: rest.join(' '),
        response_url: 'http://127.0.0.1:9/response',
        trigger_id: '1.2.3',
      }).toString();
      expect((await postSignedForm(events, SECRET, body, nowSec())).status).toBe(200);
    },
    // The block_actions payload names the user by username (see buildBlockActionsBody).
    who: (user) => ({ name: 'roadrunner', id: `slack:U0${user.toUpperCase()}` }),
    close: async () => {
      await bot.stop();
      await slack.close();
    },
  };
}

async function teamsHarness(): Promise<Harness> {
  const connector: BotConnectorServer = await startBotConnectorServer();
  const bot = await startTestBot();
  const teams = teamsActivities(connector.serviceUrl);
  const send = async (activity: unknown) => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(200);
    return res;
  };
  await send(teams.installed());
  const asPosted = (a: BotConnectorServer['activities'][number]): Posted => ({
    id: a.id,
    text: String(a.activity.text ?? a.activity.summary ?? ''),
    payload: JSON.stringify(connector.cardOf(a)),
  });
  return {
    bot,
    channel: async () => connector.activities.filter((a) => !a.replyToId).map(asPosted),
    thread: async (id) => connector.thread(id).map(asPosted),
    all: async () => connector.activities.map(asPosted),
    press: async (card, verb, data, user) => {
      await send(teams.cardAction(user, card.id, verb, data));
    },
    say: async (user, text) => {
      await send(teams.message(user, `<at>On-call bot</at> ${text}`));
    },
    who: (user) => ({ name: user, id: `teams:aad-${user}` }),
    close: async () => {
      await bot.stop();
      await connector.close();
    },
  };
}

const HARNESSES = { console: consoleHarness, slack: slackHarness, teams: teamsHarness };

describe.each(Object.entries(HARNESSES))('ChatSurface conformance: %s', (_name, start) => {
  let h: Harness;
  /** Delivers everything, stepping the clock past per-channel pacing (Slack ~1 msg/s). */
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      h.bot.clock.advance(1100);
      await h.bot.flush();
    }
  };
  const findCard = async (text: string) => {
    const card = (await h.channel()).find((m) => m.text.includes(text));
    if (!card) throw new Error(`no card with "${text}"`);
    return card;
  };

  beforeEach(async () => {
    h = await start();
    await h.bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await settle();
  });
  afterEach(async () => {
    await h.close();
  });

  it('posts an alert card with its buttons', async () => {
    const card = await findCard('node-7');
    expect(card.text).toContain('FIRING');
    expect(card.payload).toMatch(/ack/);
    expect(await h.channel()).toHaveLength(1);
  });

  it('updates the card in place when the alert resolves', async () => {
    const before = await findCard('node-7');
    await h.bot.postAlert('alertmanager', fixture('am-gpu-temp-resolved.json'));
    await settle();
    const after = await h.channel();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(before.id);
    expect(after[0]!.text).toContain('RESOLVED');
  });

  it('a button press acts as the pressing user, updates the card and replies in its thread', async () => {
    const card = await findCard('node-7');
    await h.press(card, 'ack', { incidentId: 1 }, 'bob');
    await settle();
    const { name } = h.who('bob');
    const updated = await findCard('node-7');
    expect(updated.id).toBe(card.id);
    expect(updated.text).toContain('ACKNOWLEDGED');
    expect(updated.payload).toContain(`by ${name}`);
    const thread = await h.thread(card.id);
    expect(thread.some((m) => m.text.includes(`acknowledged by ${name}`))).toBe(true);
  });

  it('inbound events carry the platform-qualified user id', async () => {
    const card = await findCard('node-7');
    await h.press(card, 'no-such-verb', {}, 'dave');
    await settle();
    const { id } = h.who('dave');
    const line = h.bot.logs.find((l) => l.includes('"code":"UNKNOWN_ACTION"'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!).user).toBe(id);
  });

  it('runs a command and answers in chat', async () => {
    await h.say('alice', 'alerts');
    await settle();
    expect((await h.all()).some((m) => /1 open incident/.test(m.text))).toBe(true);
  });
});
