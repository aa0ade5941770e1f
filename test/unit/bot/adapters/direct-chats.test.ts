import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackBolt } from '../../../../bot/adapters/slack/bolt-app.ts';
import { isDirectChannel } from '../../../../bot/adapters/slack/listeners.ts';
import { inboundActivity } from '../../../../bot/adapters/teams/activity.ts';
import { TeamsConversationStore } from '../../../../bot/adapters/teams/conversation-store.ts';
import { createTeamsInbound } from '../../../../bot/adapters/teams/inbound.ts';
import { createLogger } from '../../../../bot/logger.ts';
import type { InboundEvent } from '../../../../core/chat-surface.ts';
import { buildMessage } from '../../../../core/message.ts';
import type { Store } from '../../../../core/store.ts';
import { openSqliteStore } from '../../../../store/sqlite/sqlite-store.ts';
import { type SlackWebApiServer, startSlackWebApiServer } from '../../../servers/slack-web-api.ts';

const logger = createLogger({ level: 'silent', secrets: [] });
const answer = buildMessage({ sections: [{ kind: 'text', text: 'ok' }] });

function recorder() {
  const events: InboundEvent[] = [];
  return {
    events,
    commandNames: new Set(['alerts', 'ack']),
    dispatch: async (e: InboundEvent) => {
      events.push(e);
      return answer;
    },
  };
}

describe('Slack: which places are direct chats', () => {
  let slack: SlackWebApiServer;
  let bolt: SlackBolt;
  let dispatcher: ReturnType<typeof recorder>;

  beforeEach(async () => {
    slack = await startSlackWebApiServer();
    dispatcher = recorder();
    bolt = new SlackBolt({ token: slack.token, apiUrl: slack.url, dispatcher, logger });
    await bolt.start();
    expect(bolt.isReady).toBe(true);
  });
  afterEach(async () => {
    await bolt.stop();
    await slack.close();
  });

  /** Hands Bolt a request body as its receiver would, after signature checks. */
  async function deliver(body: Record<string, unknown>): Promise<InboundEvent> {
    const before = dispatcher.events.length;
    await bolt.app.processEvent({ body, ack: async () => undefined });
    expect(dispatcher.events).toHaveLength(before + 1);
    return dispatcher.events.at(-1)!;
  }

  const slash = (channelId: string, channelName: string) => ({
    command: '/alerts',
    text: '',
    user_id: 'U0ALICE',
    user_name: 'alice',
    channel_id: channelId,
    channel_name: channelName,
    team_id: 'T0ONCALL',
    api_app_id: 'A0ONCALL',
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: '1.2.3',
    token: 'unused',
  });

  it('a slash command in a DM is direct; in a channel it is not', async () => {
    expect((await deliver(slash('D0ALICEDM', 'directmessage'))).place).toMatchObject({
      channel: 'D0ALICEDM',
      direct: true,
    });
    expect((await deliver(slash('C0INCIDENTS', 'incidents'))).place.direct).toBe(false);
    // A private channel (G…) or a group DM (mpdm) is not one-to-one either.
    expect((await deliver(slash('G0PRIVATE', 'mpdm-alice--bob-1'))).place.direct).toBe(false);
  });

  it('a message event with channel_type im is direct', async () => {
    const event = await deliver({
      type: 'event_callback',
      team_id: 'T0ONCALL',
      api_app_id: 'A0ONCALL',
      event_id: 'Ev1',
      event_time: 1,
      event: {
        type: 'message',
        channel: 'D0ALICEDM',
        channel_type: 'im',
        user: 'U0ALICE',
        text: 'alerts',
        ts: '1700000000.000100',
      },
    });
    expect(event).toMatchObject({ kind: 'command', name: 'alerts', place: { direct: true } });
  });

  it('an app_mention in a channel is not direct', async () => {
    const event = await deliver({
      type: 'event_callback',
      team_id: 'T0ONCALL',
      api_app_id: 'A0ONCALL',
      event_id: 'Ev2',
      event_time: 1,
      event: {
        type: 'app_mention',
        channel: 'C0INCIDENTS',
        user: 'U0ALICE',
        text: '<@U0BOTUSER> alerts',
        ts: '1700000000.000200',
      },
    });
    expect(event.place).toMatchObject({ channel: 'C0INCIDENTS', direct: false });
  });

  it('a button pressed on a card in a DM is direct', async () => {
    const press = (channel: string) => ({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice', team_id: 'T0ONCALL' },
      team: { id: 'T0ONCALL', domain: 'oncall-test' },
      api_app_id: 'A0ONCALL',
      container: { type: 'message', message_ts: '1700000000.000300', channel_id: channel },
      trigger_id: '1.2.local',
      channel: { id: channel, name: channel.startsWith('D') ? 'directmessage' : 'incidents' },
      message: { type: 'message', ts: '1700000000.000300', text: 'card' },
      response_url: 'http://127.0.0.1:9/response-url',
      actions: [{ action_id: 'oncall:ack:0', value: '{"incidentId":1}', action_ts: '1.000001' }],
    });
    const dm = await deliver(press('D0ALICEDM'));
    expect(dm).toMatchObject({ kind: 'action', verb: 'ack', place: { direct: true } });
    expect((await deliver(press('C0INCIDENTS'))).place.direct).toBe(false);
  });

  it('recognises DM channel ids without a hint, and nothing else', () => {
    expect(isDirectChannel('D024BE91L')).toBe(true);
    expect(isDirectChannel('C024BE91L')).toBe(false);
    expect(isDirectChannel('C024BE91L', 'im')).toBe(true);
    expect(isDirectChannel('G024BE91L', 'mpim')).toBe(false);
  });
});

describe('Teams: which places are direct chats', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  function setUp() {
    const dispatcher = recorder();
    const inbound = createTeamsInbound({
      conversations: new TeamsConversationStore(store.conversations),
      dispatcher,
      findIncident: async () => undefined,
      renderIncident: async () => undefined,
      oncallChannel: undefined,
      onOncall: () => undefined,
      scrub: (s) => s,
      now: () => 0,
      logger,
    });
    return { dispatcher, inbound };
  }

  const activity = (conversation: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    inboundActivity.parse({
      type: 'message',
      id: '1800000000001',
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9/',
      from: { id: '29:erin', name: 'erin', aadObjectId: 'aad-erin' },
      recipient: { id: '28:oncall-bot', name: 'On-call bot' },
      conversation: { tenantId: 'tenant-1', ...conversation },
      text: 'alerts',
      ...extra,
    });

  it('a message in a personal chat is direct; in a channel or group chat it is not', async () => {
    const { dispatcher, inbound } = setUp();
    await inbound.handle(activity({ id: 'a:personal-erin', conversationType: 'personal' }));
    await inbound.handle(
      activity(
        { id: '19:oncall@thread.tacv2;messageid=1800000000001', conversationType: 'channel', isGroup: true },
        { channelData: { channel: { id: '19:oncall@thread.tacv2' } } },
      ),
    );
    await inbound.handle(
      activity({ id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true }),
    );
    expect(dispatcher.events.map((e) => [e.place.channel, e.place.direct])).toEqual([
      ['a:personal-erin', true],
      ['19:oncall@thread.tacv2', false],
      ['19:group@thread.v2', false],
    ]);
  });

  it('an Action.Execute pressed in a personal chat is direct', async () => {
    const { dispatcher, inbound } = setUp();
    const res = await inbound.handle(
      activity(
        { id: 'a:personal-erin', conversationType: 'personal' },
        {
          type: 'invoke',
          name: 'adaptiveCard/action',
          text: undefined,
          replyToId: '1700000000000',
          value: { action: { type: 'Action.Execute', verb: 'ack', data: { incidentId: 1 } } },
        },
      ),
    );
    expect(res.status).toBe(200);
    expect(dispatcher.events[0]).toMatchObject({ kind: 'action', verb: 'ack', place: { direct: true } });
  });
});
