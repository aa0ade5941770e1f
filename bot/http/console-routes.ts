import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { ChatPlace } from '../../core/chat-surface.ts';
import type { Clock } from '../../core/clock.ts';
import { errorBody } from '../../core/errors.ts';
import type { ConsoleMessageRepo } from '../../core/store.ts';
import type { Dispatcher } from '../inbound/dispatcher.ts';
import { parseChatText } from '../inbound/parse-chat-text.ts';
import type { BotServer } from './server.ts';

const consoleUser = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/i, 'a name of letters, digits, dots, dashes or underscores (max 32)');

const postMessageBody = z.object({
  user: consoleUser,
  text: z.string().trim().min(1).max(4000),
  threadId: z.string().max(64).optional(),
});

const postActionBody = z.object({
  user: consoleUser,
  messageId: z.string().min(1).max(64),
  verb: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
  data: z.record(z.string().max(64), z.unknown()).default({}),
});

export interface ConsoleRouteDeps {
  messages: ConsoleMessageRepo;
  dispatcher: Dispatcher;
  channel: string;
  clock: Clock;
}

/**
 * The console page's policy: scripts only from its own files (no inline script, no inline event
 * handlers, no eval), so even text that slipped through as markup could not run.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: http: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_DIR = new URL('../adapters/console-page/', import.meta.url);

function loadAssets() {
  const require = createRequire(import.meta.url);
  return {
    page: readFileSync(new URL('index.html', PAGE_DIR), 'utf8'),
    script: readFileSync(new URL('console.js', PAGE_DIR), 'utf8'),
    style: readFileSync(new URL('console.css', PAGE_DIR), 'utf8'),
    adaptiveCards: readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8'),
  };
}

function invalid(error: z.ZodError) {
  const issue = error.issues[0];
  return errorBody('BAD_REQUEST', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * The local console: a web page showing the on-call channel with the official Adaptive Cards
 * renderer, and its public JSON API (list messages, send text as a user, press a button).
 */
export function registerConsoleRoutes(app: BotServer, deps: ConsoleRouteDeps): void {
  const assets = loadAssets();
  const place = (threadId: string | undefined | null): ChatPlace => ({
    surface: 'console',
    channel: deps.channel,
    thread: threadId ? { surface: 'console', channel: deps.channel, id: threadId, extra: {} } : null,
  });

  app.get('/', (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', CONSOLE_CSP)
      .header('X-Content-Type-Options', 'nosniff')
      .send(assets.page),
  );
  app.get('/assets/console.js', (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').send(assets.script),
  );
  app.get('/assets/console.css', (_req, reply) => reply.type('text/css; charset=utf-8').send(assets.style));
  app.get('/assets/adaptivecards.js', (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('Cache-Control', 'max-age=3600')
      .send(assets.adaptiveCards),
  );

  app.get('/api/console/messages', async () => {
    const list = await deps.messages.list(deps.channel, 500);
    return list.map((m) => ({
      id: m.id,
      threadId: m.threadId,
      author: m.author,
      createdAt: new Date(m.createdAt).toISOString(),
      updatedAt: new Date(m.updatedAt).toISOString(),
      text: m.text,
      card: m.card,
    }));
  });

  app.post('/api/console/messages', async (req, reply) => {
    const body = postMessageBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send(invalid(body.error));
    const { user, text, threadId } = body.data;
    let root: string | null = null;
    if (threadId) {
      const parent = await deps.messages.get(threadId);
      if (!parent)
        return reply.code(404).send(errorBody('UNKNOWN_THREAD', `No message ${threadId} in the console.`));
      root = parent.threadId ?? parent.id;
    }
    const now = deps.clock.now();
    const id = crypto.randomUUID();
    await deps.messages.insert({
      id,
      channel: deps.channel,
      threadId: root,
      author: `console:${user}`,
      createdAt: now,
      updatedAt: now,
      text,
      card: null,
    });
    const parsed = parseChatText(text, deps.dispatcher.commandNames);
    const who = { id: `console:${user}`, displayName: user };
    const event =
      parsed.kind === 'command'
        ? { kind: 'command' as const, name: parsed.name, args: parsed.args, user: who, place: place(root) }
        : { kind: 'question' as const, text: parsed.text, user: who, place: place(root) };
    await deps.dispatcher.dispatch(event);
    return reply.code(202).send({ id, threadId: root });
  });

  app.post('/api/console/actions', async (req, reply) => {
    const body = postActionBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send(invalid(body.error));
    const { user, messageId, verb, data } = body.data;
    const target = await deps.messages.get(messageId);
    if (!target?.card) {
      return reply.code(404).send(errorBody('UNKNOWN_MESSAGE', `No card ${messageId} in the console.`));
    }
    const answer = await deps.dispatcher.dispatch({
      kind: 'action',
      verb,
      data,
      user: { id: `console:${user}`, displayName: user },
      place: place(target.threadId ?? target.id),
      message: { surface: 'console', channel: deps.channel, id: messageId, extra: {} },
    });
    return reply.code(200).send({ ok: true, reply: answer });
  });
}
