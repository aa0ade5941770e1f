import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework connector (Teams' serviceUrl), as formats.md §7
 * describes it: create a channel thread, send into a conversation, reply in a thread, update an
 * activity. It records every activity and every edit for assertions, can fail the next calls
 * (429 with Retry-After, 5xx, 403 …), and can play Teams by posting activities to the bot.
 * Conversation ids are accepted raw or percent-encoded in the path (the Agents SDK sends them
 * raw, e.g. `19:…@thread.tacv2;messageid=…`); `ConnectorCall.path` is what arrived.
 */

export interface ConnectorActivity {
  id: string;
  /** The conversation the activity lives in (a channel thread is `19:…;messageid=<root>`). */
  conversationId: string;
  replyToId?: string;
  activity: Record<string, unknown>;
  /** Every update (PUT), oldest first; `activity` holds the latest. */
  edits: Record<string, unknown>[];
}

export interface ConnectorCall {
  method: string;
  path: string;
  status: number;
  body: unknown;
  authorization?: string;
}

export interface BotConnectorServer {
  /** The serviceUrl to put in activities, with a trailing slash. */
  serviceUrl: string;
  calls: ConnectorCall[];
  activities: ConnectorActivity[];
  find(id: string): ConnectorActivity | undefined;
  /** The replies in a thread, oldest first. */
  thread(rootId: string): ConnectorActivity[];
  /** The card (first Adaptive Card attachment) of an activity. */
  cardOf(a: ConnectorActivity): Record<string, unknown> | undefined;
  failNext(failure: { status: number; retryAfter?: number }, times?: number): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startBotConnectorServer(): Promise<BotConnectorServer> {
  const calls: ConnectorCall[] = [];
  const activities: ConnectorActivity[] = [];
  const failures: { status: number; retryAfter?: number }[] = [];
  let next = 1_700_000_000_000;
  const newId = () => String(next++);

  function route(method: string, segments: string[], body: Record<string, unknown>): [number, unknown] {
    if (segments[0] !== 'v3' || segments[1] !== 'conversations')
      return [404, { error: { code: 'NotFound' } }];
    const [, , conversation, kind, activityId] = segments;
    if (method === 'POST' && segments.length === 2) {
      const channelData = body.channelData as { channel?: { id?: string } } | undefined;
      const activity = body.activity as Record<string, unknown> | undefined;
      if (!channelData?.channel?.id || !activity) return [400, { error: { code: 'BadArgument' } }];
      const id = newId();
      const conversationId = `${channelData.channel.id};messageid=${id}`;
      activities.push({ id, conversationId, activity, edits: [] });
      return [201, { id: conversationId, activityId: id }];
    }
    if (!conversation || kind !== 'activities') return [404, { error: { code: 'NotFound' } }];
    if (method === 'POST') {
      const id = newId();
      activities.push({
        id,
        conversationId: conversation,
        ...(activityId ? { replyToId: activityId } : {}),
        activity: body,
        edits: [],
      });
      return [201, { id }];
    }
    if (method === 'PUT' && activityId) {
      const found = activities.find((a) => a.id === activityId);
      if (!found) return [404, { error: { code: 'ActivityNotFoundInConversation' } }];
      found.edits.push(found.activity);
      found.activity = body;
      return [200, { id: activityId }];
    }
    return [405, { error: { code: 'MethodNotAllowed' } }];
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    readJson(req)
      .then((body) => {
        const failure = failures.shift();
        const [status, response] = failure
          ? [failure.status, { error: { code: failure.status === 429 ? 'Throttled' : 'Failed' } }]
          : route(req.method ?? 'GET', segments, (body ?? {}) as Record<string, unknown>);
        calls.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          status,
          body,
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        });
        send(res, status, response, failure?.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {});
      })
      .catch((err: unknown) => send(res, 400, { error: { code: 'BadJson', message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    serviceUrl,
    calls,
    activities,
    find: (id) => activities.find((a) => a.id === id),
    thread: (rootId) => activities.filter((a) => a.replyToId === rootId),
    cardOf(a) {
      const attachments = a.activity.attachments as {
        contentType: string;
        content: Record<string, unknown>;
      }[];
      return attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
    },
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Activities as Teams sends them to the bot, for a channel in one team. */
export function teamsActivities(serviceUrl: string, channelId = '19:oncall@thread.tacv2') {
  const base = {
    channelId: 'msteams',
    serviceUrl,
    recipient: { id: '28:oncall-bot', name: 'On-call bot' },
    channelData: {
      channel: { id: channelId },
      team: { id: '19:team@thread.tacv2' },
      tenant: { id: 'tenant-1' },
    },
  };
  const user = (name: string) => ({ id: `29:${name}`, name, aadObjectId: `aad-${name}` });
  const conversation = (threadId?: string) => ({
    id: threadId ? `${channelId};messageid=${threadId}` : channelId,
    conversationType: 'channel',
    tenantId: 'tenant-1',
    isGroup: true,
  });
  let n = 0;
  return {
    channelId,
    installed: () => ({
      ...base,
      type: 'conversationUpdate',
      id: `u${++n}`,
      from: user('admin'),
      conversation: conversation(),
      membersAdded: [base.recipient],
    }),
    message: (name: string, text: string, threadId?: string) => {
      const id = String(1_800_000_000_000 + ++n);
      return {
        ...base,
        type: 'message',
        id,
        from: user(name),
        conversation: conversation(threadId ?? id),
        text,
      };
    },
    cardAction: (name: string, activityId: string, verb: string, data: Record<string, unknown>) => ({
      ...base,
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `f:${++n}`,
      from: user(name),
      conversation: conversation(activityId),
      replyToId: activityId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    }),
  };
}
