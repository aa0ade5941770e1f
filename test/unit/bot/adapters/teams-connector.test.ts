import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  inboundActivity,
  referenceOf,
  splitConversationId,
} from '../../../../bot/adapters/teams/activity.ts';
import { createTeamsAdapter } from '../../../../bot/adapters/teams/cloud-adapter.ts';
import { TeamsConnector } from '../../../../bot/adapters/teams/connector-client.ts';
import {
  readLegacyConversationFile,
  TeamsConversationStore,
} from '../../../../bot/adapters/teams/conversation-store.ts';
import { ManualClock } from '../../../../core/clock.ts';
import { DeliveryError } from '../../../../core/errors.ts';
import { openSqliteStore } from '../../../../store/sqlite/sqlite-store.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A connector that answers every call with one status (and records the paths). */
async function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const paths: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const bodies: unknown[] = [];
  server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    authorizations.push(req.headers.authorization);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      bodies.push(text ? JSON.parse(text) : undefined);
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/amer/`,
    paths,
    authorizations,
    bodies,
  };
}

async function failure(call: Promise<unknown>): Promise<DeliveryError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

const clock = new ManualClock(Date.parse('2026-11-28T09:00:00Z'));

/** An anonymous connector (no app id), as in local mode: no token is fetched or sent. */
const connector = () =>
  new TeamsConnector(
    createTeamsAdapter({ clientId: undefined, clientSecret: undefined, tenantId: undefined }),
    undefined,
    { clock },
  );
const at = (serviceUrl: string, conversationId = 'a:1') => ({ serviceUrl, conversationId });
const message = { type: 'message', text: 'hi' };

describe('TeamsConnector (the Agents SDK connector client)', () => {
  it('sends under the serviceUrl, without a token when anonymous', async () => {
    const c = await answering(200, { id: '42' });
    const res = await connector().replyToActivity(at(c.url, '19:a@thread.tacv2;messageid=7'), '7', message);
    expect(res).toEqual({ id: '42' });
    expect(c.paths).toEqual(['POST /amer/v3/conversations/19:a@thread.tacv2;messageid=7/activities/7']);
    expect(c.authorizations).toEqual([undefined]);
  });

  it('creates a channel thread with the bot account and returns the new ids', async () => {
    const c = await answering(201, { id: '19:c;messageid=9', activityId: '9' });
    const res = await connector().createConversation(at(c.url, '19:c'), {
      isGroup: true,
      bot: { id: '28:bot' },
      channelData: { channel: { id: '19:c' } },
      activity: message,
    });
    expect(res).toEqual({ id: '19:c;messageid=9', activityId: '9' });
    expect(c.paths).toEqual(['POST /amer/v3/conversations']);
    expect(c.bodies[0]).toMatchObject({ isGroup: true, bot: { id: '28:bot' }, activity: { text: 'hi' } });
  });

  it('429 is retryable after Retry-After; 403 (blocked) and 413 (too big) are not', async () => {
    let c = await answering(429, {}, { 'retry-after': '12' });
    let e = await failure(connector().sendToConversation(at(c.url), message));
    expect([e.retryable, e.retryAfterMs]).toEqual([true, 12_000]);
    server!.close();
    c = await answering(403, { error: { code: 'BotDisabledByAdmin' } });
    e = await failure(connector().sendToConversation(at(c.url), message));
    expect([e.code, e.retryable]).toEqual(['TEAMS_HTTP_403', false]);
    server!.close();
    c = await answering(413, {});
    e = await failure(connector().updateActivity(at(c.url), '5', message));
    expect([e.code, e.retryable]).toEqual(['TEAMS_MESSAGE_TOO_BIG', false]);
  });

  it('reads Retry-After as delta-seconds or as an HTTP date counted from the injected clock', async () => {
    let c = await answering(503, {}, { 'retry-after': '120' });
    let e = await failure(connector().sendToConversation(at(c.url), message));
    expect([e.code, e.retryable, e.retryAfterMs]).toEqual(['TEAMS_HTTP_503', true, 120_000]);
    server!.close();
    // 45 s after the bot's clock, whatever the machine's clock says.
    c = await answering(429, {}, { 'retry-after': new Date(clock.now() + 45_000).toUTCString() });
    e = await failure(connector().sendToConversation(at(c.url), message));
    expect([e.retryable, e.retryAfterMs]).toEqual([true, 45_000]);
    server!.close();
    // A date already past means "now", not a negative wait.
    c = await answering(429, {}, { 'retry-after': new Date(clock.now() - 60_000).toUTCString() });
    e = await failure(connector().sendToConversation(at(c.url), message));
    expect(e.retryAfterMs).toBe(0);
  });

  it('a response without an id is a retryable bad response', async () => {
    const c = await answering(200, {});
    const e = await failure(connector().sendToConversation(at(c.url), message));
    expect([e.code, e.retryable]).toEqual(['TEAMS_BAD_RESPONSE', true]);
  });

  it('a connector that never answers times out, retryably', async () => {
    server = createServer(() => undefined); // reads the request, never responds
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const slow = new TeamsConnector(
      createTeamsAdapter({ clientId: undefined, clientSecret: undefined, tenantId: undefined }),
      undefined,
      { clock, timeoutMs: 50 },
    );
    const e = await failure(slow.sendToConversation(at(url), message));
    expect([e.code, e.retryable]).toEqual(['TEAMS_UNREACHABLE', true]);
    expect(e.message).toMatch(/no answer within 50 ms/);
  });

  it('an unreachable connector is retryable', async () => {
    const e = await failure(connector().sendToConversation(at('http://127.0.0.1:9/'), message));
    expect([e.code, e.retryable]).toEqual(['TEAMS_UNREACHABLE', true]);
  });
});

describe('Teams activities and references', () => {
  it('splits a channel thread id into the channel and the root message', () => {
    expect(splitConversationId('19:abc@thread.tacv2;messageid=1759944781430')).toEqual({
      base: '19:abc@thread.tacv2',
      threadId: '1759944781430',
    });
    expect(splitConversationId('a:1xyz')).toEqual({ base: 'a:1xyz', threadId: undefined });
  });

  it('keeps what a proactive post needs from an install', () => {
    const activity = inboundActivity.parse({
      type: 'conversationUpdate',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      from: { id: '29:admin' },
      recipient: { id: '28:bot', name: 'On-call bot' },
      conversation: { id: '19:c@thread.tacv2', conversationType: 'channel', tenantId: 't1' },
      channelData: { channel: { id: '19:c@thread.tacv2' }, team: { id: '19:team' } },
      membersAdded: [{ id: '28:bot' }],
    });
    expect(referenceOf(activity, 5)).toEqual({
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      channelId: 'msteams',
      conversationId: '19:c@thread.tacv2',
      conversationType: 'channel',
      tenantId: 't1',
      teamsChannelId: '19:c@thread.tacv2',
      bot: { id: '28:bot', name: 'On-call bot' },
      updatedAt: 5,
    });
  });

  it('the conversation store keeps references in the store and parses them on the way out', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    try {
      const conversations = new TeamsConversationStore(store.conversations);
      const ref = {
        serviceUrl: 'https://example.test/',
        channelId: 'msteams',
        conversationId: 'a:1',
        conversationType: 'personal',
        bot: { id: '28:bot' },
        updatedAt: 1,
      };
      expect(await conversations.save('a:1', ref)).toBe(true);
      expect(await conversations.save('a:1', { ...ref, updatedAt: 2 })).toBe(false); // same address
      expect(await conversations.claimOncall('a:1')).toBe('a:1');
      expect(await conversations.claimOncall('a:2')).toBe('a:1'); // the first one wins
      expect(await conversations.get('a:1')).toEqual(ref);
      expect(await conversations.oncall()).toBe('a:1');
      // A row that is not a reference fails loudly rather than posting somewhere odd.
      await store.conversations.save('teams', 'a:bad', { serviceUrl: 'not a url' }, 3);
      await expect(conversations.get('a:bad')).rejects.toThrow();
    } finally {
      await store.close();
    }
  });

  it('a legacy conversation file is read as it was written, and rejected loudly when damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teams-store-'));
    try {
      const path = join(dir, 'teams.json');
      expect(readLegacyConversationFile(path)).toBeUndefined();
      writeFileSync(path, JSON.stringify({ version: 1, oncall: null, references: {} }));
      expect(readLegacyConversationFile(path)).toEqual({ version: 1, oncall: null, references: {} });
      writeFileSync(path, '{"version":2}');
      expect(() => readLegacyConversationFile(path)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
