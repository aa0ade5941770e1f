import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';
import {
  type BotConnectorServer,
  startBotConnectorServer,
  teamsActivities,
} from '../servers/bot-connector.ts';

const fixtureSource = (name: string) => (name.startsWith('azure') ? 'azure-monitor' : 'alertmanager');

describe('Teams end to end against a local Bot Connector', () => {
  let connector: BotConnectorServer;
  let bot: TestBot;
  let dataDir: string;
  let teams: ReturnType<typeof teamsActivities>;

  beforeEach(async () => {
    connector = await startBotConnectorServer();
    dataDir = mkdtempSync(join(tmpdir(), 'teams-test-'));
    bot = await startTestBot({ DATA_DIR: dataDir });
    teams = teamsActivities(connector.serviceUrl);
    expect((await bot.sendActivity(teams.installed())).status).toBe(200);
  });
  afterEach(async () => {
    await bot.stop();
    await connector.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function postCard() {
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
    const card = connector.activities.find(
      (a) => JSON.stringify(a.activity).includes('node-7') && !a.replyToId,
    );
    if (!card) throw new Error('no card posted to Teams');
    return card;
  }

  it('installation stores the channel; alert cards are posted there proactively as a new thread', async () => {
    expect(await bot.store.conversations.getOncall('teams')).toBe(teams.channelId);
    expect(existsSync(join(dataDir, 'teams-conversations.json'))).toBe(false); // the store has it
    const card = await postCard();
    expect(card.conversationId).toBe(`${teams.channelId};messageid=${card.id}`);
    expect(connector.cardOf(card)?.version).toBe('1.5');
    // The one-line summary is for notifications; `text` would be shown above the card (and the
    // Agents Playground splits text and card into two messages).
    expect(card.activity.summary).toMatch(/^\[P2 FIRING\] GPU 3 on node-7/);
    expect(card.activity.text).toBeUndefined();
    const create = connector.calls.find((c) => c.path === '/v3/conversations')!;
    expect(create.body).toMatchObject({ isGroup: true, channelData: { channel: { id: teams.channelId } } });
    expect(create.authorization).toBeUndefined(); // anonymous: local mode only
  });

  it('Action.Execute returns the updated card to the clicker and updates it for everyone', async () => {
    const card = await postCard();
    const ack = (connector.cardOf(card)!.actions as { verb: string; data: Record<string, unknown> }[]).find(
      (a) => a.verb === 'ack',
    )!;
    const res = await bot.sendActivity(teams.cardAction('bob', card.id, 'ack', ack.data));
    expect(res.status).toBe(200);
    const invoke = (await res.json()) as { statusCode: number; type: string; value: unknown };
    expect(invoke.statusCode).toBe(200);
    expect(invoke.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(invoke.value)).toContain('by bob');
    expect(JSON.stringify(invoke.value)).not.toContain('"verb":"ack"');

    await bot.flush();
    const updated = connector.find(card.id)!;
    expect(updated.edits).toHaveLength(1);
    expect(JSON.stringify(connector.cardOf(updated))).toContain('by bob');
    const put = connector.calls.find((c) => c.method === 'PUT')!;
    // The Agents SDK puts the conversation id into the path as it is (`19:…;messageid=…`).
    expect(put.path).toBe(`/v3/conversations/${card.conversationId}/activities/${card.id}`);
    expect(
      connector.thread(card.id).some((r) => JSON.stringify(r.activity).includes('acknowledged by bob')),
    ).toBe(true);
  });

  it('commands work with an @mention, with or without a slash, and are answered in the thread', async () => {
    await postCard();
    const msg = teams.message('alice', '<at>On-call bot</at> /alerts');
    expect((await bot.sendActivity(msg)).status).toBe(200);
    await bot.flush();
    const answer = connector.thread(msg.id).at(-1);
    expect(answer).toBeDefined();
    expect(JSON.stringify(answer?.activity)).toContain('open incident');

    const plain = teams.message('alice', '<at>On-call bot</at> alerts');
    await bot.sendActivity(plain);
    await bot.flush();
    expect(JSON.stringify(connector.thread(plain.id).at(-1)?.activity)).toContain('open incident');
  });

  it('"ack" typed in the card thread acknowledges that incident', async () => {
    const card = await postCard();
    await bot.sendActivity(teams.message('carol', '<at>On-call bot</at> ack', card.id));
    await bot.flush();
    expect(JSON.stringify(connector.cardOf(connector.find(card.id)!))).toContain('by carol');
  });

  it('a 429 from the connector is retried after Retry-After; nothing is lost', async () => {
    connector.failNext({ status: 429, retryAfter: 30 });
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
    expect(connector.activities).toHaveLength(0);
    bot.clock.advance(60_000);
    await bot.flush();
    expect(connector.activities).toHaveLength(1);
  });

  it('a 429 storm delays cards but posts each one exactly once, with its latest state', async () => {
    // Eight calls in a row throttled, then every other one: Teams' per-conversation limits.
    connector.failNext({ status: 429, retryAfter: 2 }, 8);
    const groups = [
      'am-gpu-temp-firing.json',
      'am-gpu-ecc-xid-node-3.json',
      'azure-metric-static-fired.json',
    ];
    for (const name of groups)
      expect((await bot.postAlert(fixtureSource(name), fixture(name))).status).toBe(202);
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-resolved.json'));
    for (let round = 0; round < 20 && connector.activities.filter((a) => !a.replyToId).length < 3; round++) {
      await bot.flush();
      bot.clock.advance(2_000);
      if (round % 2 === 0) connector.failNext({ status: 429, retryAfter: 1 });
    }
    await bot.flush();
    const cards = connector.activities.filter((a) => !a.replyToId);
    expect(cards).toHaveLength(3);
    expect(connector.calls.filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(8);
    // The GPU card shows the resolve that arrived while it was throttled.
    const gpu = cards.find((a) => JSON.stringify(a.activity).includes('node-7'))!;
    expect(JSON.stringify(connector.cardOf(connector.find(gpu.id)!))).toMatch(/RESOLVED/);
    expect(await bot.store.outbox.pendingCount()).toBe(0);
  });

  it('a personal chat gets its answer in that chat', async () => {
    const personal = {
      type: 'message',
      id: 'p1',
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      from: { id: '29:erin', name: 'erin', aadObjectId: 'aad-erin' },
      recipient: { id: '28:oncall-bot', name: 'On-call bot' },
      conversation: { id: 'a:personal-erin', conversationType: 'personal', tenantId: 'tenant-1' },
      text: 'alerts',
    };
    expect((await bot.sendActivity(personal)).status).toBe(200);
    await bot.flush();
    const answer = connector.activities.find((a) => a.conversationId === 'a:personal-erin');
    expect(JSON.stringify(answer?.activity)).toContain('open incident');
    expect(connector.calls.some((c) => c.path === '/v3/conversations/a:personal-erin/activities')).toBe(true);
  });

  it('malformed activities get 400, whether our schema or the SDK refuses them', async () => {
    expect((await bot.sendActivity({ type: 'message' })).status).toBe(400);
    // Passes our schema, but the SDK's Activity schema wants ids that are not empty.
    const emptyAad = { ...teams.message('alice', 'alerts'), from: { id: '29:alice', aadObjectId: '' } };
    const res = await bot.sendActivity(emptyAad);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_ACTIVITY');
  });

  it('a damaged conversation file keeps Teams off but the bot up', async () => {
    const clock = bot.clock;
    await bot.stop();
    writeFileSync(join(dataDir, 'teams-conversations.json'), '{ not json');
    bot = await startTestBot({ DATA_DIR: dataDir }, clock);
    const ready = (await (await fetch(`${bot.url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks.teams).toMatch(/cannot read/);
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(202);
  });

  it('a conversation file from before the store is imported into it, and left as it was', async () => {
    const clock = bot.clock;
    const reference = await bot.store.conversations.get('teams', teams.channelId);
    await bot.stop();
    rmSync(dataDir, { recursive: true, force: true }); // a fresh store: only the old file knows
    mkdirSync(dataDir);
    const file = join(dataDir, 'teams-conversations.json');
    const legacy = `${JSON.stringify({ version: 1, oncall: teams.channelId, references: { [teams.channelId]: reference } }, null, 2)}\n`;
    writeFileSync(file, legacy);
    bot = await startTestBot({ DATA_DIR: dataDir }, clock);
    expect(await bot.store.conversations.getOncall('teams')).toBe(teams.channelId);
    expect(await bot.store.conversations.get('teams', teams.channelId)).toEqual(reference);
    await postCard();
    expect(connector.activities).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(legacy);

    // What the store learned since wins over the file at the next start.
    await bot.store.conversations.setOncall('teams', '19:other@thread.tacv2');
    await bot.stop();
    bot = await startTestBot({ DATA_DIR: dataDir }, clock);
    expect(await bot.store.conversations.getOncall('teams')).toBe('19:other@thread.tacv2');
  });

  it('the on-call channel survives a restart', async () => {
    const clock = bot.clock;
    await bot.stop();
    bot = await startTestBot({ DATA_DIR: dataDir }, clock);
    await postCard();
    expect(connector.activities).toHaveLength(1);
  });
});

/** An unsigned JWT: enough to reach the SDK's audience check, which runs before any key fetch. */
function unsignedToken(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${part(claims)}.${part('sig')}`;
}

describe('Teams with credentials (production mode)', () => {
  it('runs behind the Agents SDK JWT validation: no, malformed or foreign tokens get 401', async () => {
    const appId = '00000000-0000-0000-0000-000000000001';
    const bot = await startTestBot({ HOST: '127.0.0.1', clientId: appId, clientSecret: 'not-used-offline' });
    try {
      expect(bot.config.mode).toBe('production');
      const activity = { type: 'message', conversation: { id: 'a:1' }, text: 'alerts' };
      const none = await bot.sendActivity(activity);
      expect(none.status).toBe(401);
      expect(await none.json()).toEqual({ 'jwt-auth-error': 'authorization header not found' });
      const malformed = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
        body: JSON.stringify(activity),
      });
      expect(malformed.status).toBe(401);
      const foreign = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${unsignedToken({ aud: 'someone-else', iss: 'https://api.botframework.com' })}`,
        },
        body: JSON.stringify(activity),
      });
      expect(foreign.status).toBe(401);
      const ready = (await (await fetch(`${bot.url}/readyz`)).json()) as {
        status: string;
        checks: Record<string, string>;
      };
      expect(ready.checks.teams).toBeUndefined();
    } finally {
      await bot.stop();
    }
  });

  it('without an app id, production mode leaves Teams off', async () => {
    const bot = await startTestBot({ HOST: '127.0.0.1', BOT_MODE: 'production' });
    try {
      expect((await bot.sendActivity({ type: 'message' })).status).toBe(404);
    } finally {
      await bot.stop();
    }
  });
});
