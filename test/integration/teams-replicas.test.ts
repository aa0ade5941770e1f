import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';
import {
  type BotConnectorServer,
  startBotConnectorServer,
  teamsActivities,
} from '../servers/bot-connector.ts';

/** A database URL counts as a production credential; anonymous Teams needs local mode. */
const env = (url: string) => ({ DATABASE_URL: url, BOT_MODE: 'local' });

// Decided at collection time so that a machine without PostgreSQL skips (CI fails instead).
const database: TestDatabase | undefined = await createTestDatabase();

/**
 * Two bots in one process on one PostgreSQL database and one local Bot Connector: the Teams app is
 * installed through replica A only, yet replica B posts incident cards to the on-call channel.
 */
describe.skipIf(!database)('Teams on two replicas sharing PostgreSQL', () => {
  const db = database!;
  let connector: BotConnectorServer;
  let a: TestBot;
  let b: TestBot;
  let teams: ReturnType<typeof teamsActivities>;

  beforeEach(async () => {
    connector = await startBotConnectorServer();
    teams = teamsActivities(connector.serviceUrl);
    a = await startTestBot(env(db.url));
    b = await startTestBot(env(db.url), a.clock);
  });
  afterEach(async () => {
    await a.stop();
    await b.stop();
    await connector.close();
    await db.reset();
  });
  afterAll(() => db.drop());

  /** Posts an alert to `bot`, delivers, and returns the top-level card about `node`. */
  async function cardFrom(bot: TestBot, alert: string, node: string) {
    expect((await bot.postAlert('alertmanager', fixture(alert))).status).toBe(202);
    await bot.flush();
    return connector.activities.find((x) => !x.replyToId && JSON.stringify(x.activity).includes(node));
  }

  it('B learns the on-call channel A recorded and posts the card; A updates it in place', async () => {
    expect((await a.sendActivity(teams.installed())).status).toBe(200);
    expect(await b.store.conversations.getOncall('teams')).toBe(teams.channelId);

    await b.tick(); // B started before the install: its tick picks the channel up
    const card = await cardFrom(b, 'am-gpu-temp-firing.json', 'node-7');
    expect(card?.conversationId).toBe(`${teams.channelId};messageid=${card?.id}`);
    const create = connector.calls.find((c) => c.path === '/v3/conversations')!;
    expect(create.body).toMatchObject({ isGroup: true, channelData: { channel: { id: teams.channelId } } });

    // A button press reaching A: A delivers the update from the shared references.
    const ack = (connector.cardOf(card!)!.actions as { verb: string; data: Record<string, unknown> }[]).find(
      (x) => x.verb === 'ack',
    )!;
    expect((await a.sendActivity(teams.cardAction('bob', card!.id, 'ack', ack.data))).status).toBe(200);
    await a.flush();
    expect(connector.find(card!.id)!.edits).toHaveLength(1);
    expect(JSON.stringify(connector.cardOf(connector.find(card!.id)!))).toContain('by bob');
  });

  it('installs in two channels at once, one per replica: both replicas agree on one on-call channel', async () => {
    const other = teamsActivities(connector.serviceUrl, '19:other@thread.tacv2');
    const [ra, rb] = await Promise.all([
      a.sendActivity(teams.installed()),
      b.sendActivity(other.installed()),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    const oncall = await a.store.conversations.getOncall('teams');
    expect([teams.channelId, other.channelId]).toContain(oncall);
    await a.tick();
    await b.tick();
    await cardFrom(a, 'am-gpu-temp-firing.json', 'node-7');
    await cardFrom(b, 'am-gpu-ecc-xid-node-3.json', 'node-3');
    const creates = connector.calls.filter((c) => c.path === '/v3/conversations');
    expect(creates).toHaveLength(2);
    for (const c of creates) expect(c.body).toMatchObject({ channelData: { channel: { id: oncall } } });
  });

  it('a tick before the install adds nothing; a restarted replica knows the channel without any file', async () => {
    await b.tick();
    expect(b.config.teams.channel).toBeUndefined();
    await cardFrom(b, 'am-gpu-ecc-xid-node-3.json', 'node-3');
    expect(connector.activities).toHaveLength(0); // nowhere to post yet: not installed anywhere

    expect((await a.sendActivity(teams.installed())).status).toBe(200);
    const clock = b.clock;
    await b.stop();
    b = await startTestBot(env(db.url), clock); // a new data dir: no conversation file
    const card = await cardFrom(b, 'am-gpu-temp-firing.json', 'node-7');
    expect(card?.conversationId).toBe(`${teams.channelId};messageid=${card?.id}`);
  });
});
