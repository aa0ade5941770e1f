import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../core/clock.ts';
import { METHODS, type MethodResponse } from './slack/methods.ts';
import { parseBody, readBody, stringArgument } from './slack/parse-body.ts';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimitRules } from './slack/rate-limiter.ts';
import {
  type EphemeralMessage,
  type PostedMessage,
  type SlackChannel,
  SlackState,
  type UploadedFile,
} from './slack/state.ts';

export type { EphemeralMessage, PostedMessage, SlackChannel, UploadedFile } from './slack/state.ts';
export { BOT_IDENTITY } from './slack/state.ts';

/**
 * A local stand-in for the Slack Web API, good enough for the real `@slack/web-api` WebClient and
 * `@slack/bolt` (point `slackApiUrl` at {@link SlackWebApiServer.url}). It checks the bearer
 * token, validates Block Kit limits like Slack, rate-limits per method and channel on an injected
 * clock, and records every call and message for assertions. Loopback only, port from the OS.
 */

export interface SlackCall {
  method: string;
  /** Arguments as received (form fields are strings; `blocks` stays a JSON string). */
  args: Record<string, unknown>;
  channel?: string;
  status: number;
  response: MethodResponse;
  at: number;
}

/** A failure to answer instead of the next call(s) to a method. */
export type InjectedFailure = { retryAfter: number } | { error: string };

export interface SlackWebApiServerOptions {
  /** The only accepted bot token. */
  token?: string;
  clock?: Clock;
  channels?: SlackChannel[];
  /** Budgets per method; `{}` turns rate limiting off. Default: chat.postMessage ~1/s per channel. */
  rateLimits?: RateLimitRules;
  /** Share of calls (0..1) answered with 429 at random, drawn from `random`. */
  failureRatio?: number;
  random?: () => number;
  /** Retry-After seconds for randomly injected 429s. */
  injectedRetryAfter?: number;
  /** Fail blocks whose JSON is longer with `msg_blocks_too_long` (Slack fails near 13k). */
  maxBlocksChars?: number;
}

export interface SlackWebApiServer {
  /** Web API base for `slackApiUrl`, with the trailing slash: `http://127.0.0.1:<port>/api/`. */
  url: string;
  origin: string;
  token: string;
  calls: SlackCall[];
  messages: PostedMessage[];
  ephemerals: EphemeralMessage[];
  files: Map<string, UploadedFile>;
  callsTo(method: string): SlackCall[];
  findMessage(channel: string, ts: string): PostedMessage | undefined;
  thread(channel: string, ts: string): PostedMessage[];
  /** Answers the next `times` calls to `method` with a 429 (Retry-After seconds) or an error. */
  failNext(method: string, failure: InjectedFailure, times?: number): void;
  close(): Promise<void>;
}

/** A small deterministic PRNG (mulberry32) so injected failures repeat from run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
  res.writeHead(status, { 'content-type': type, ...headers }).end(text);
}

function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

export async function startSlackWebApiServer(
  options: SlackWebApiServerOptions = {},
): Promise<SlackWebApiServer> {
  const token = options.token ?? 'xoxb-test-token';
  const clock = options.clock ?? systemClock;
  const state = new SlackState(clock, options.channels ?? [{ id: 'C0INCIDENTS', name: 'incidents' }]);
  const limiter = new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS, clock);
  const random = options.random ?? seededRandom(1);
  const injected = new Map<string, InjectedFailure[]>();
  const calls: SlackCall[] = [];
  let origin = '';

  function answer(
    method: string,
    args: Record<string, unknown>,
    req: IncomingMessage,
  ): [number, MethodResponse, number?] {
    const given = bearer(req) ?? stringArgument(args.token);
    if (!given) return [200, { ok: false, error: 'not_authed' }];
    if (given !== token) return [200, { ok: false, error: 'invalid_auth' }];
    const handler = METHODS[method];
    if (!handler) return [200, { ok: false, error: 'unknown_method' }];
    const failure = injected.get(method)?.shift();
    if (failure && 'error' in failure) return [200, { ok: false, error: failure.error }];
    if (failure) return [429, { ok: false, error: 'ratelimited' }, failure.retryAfter];
    if (options.failureRatio && random() < options.failureRatio) {
      return [429, { ok: false, error: 'ratelimited' }, options.injectedRetryAfter ?? 1];
    }
    const retryAfter = limiter.take(method, stringArgument(args.channel) ?? stringArgument(args.channel_id));
    if (retryAfter !== undefined) return [429, { ok: false, error: 'ratelimited' }, retryAfter];
    return [
      200,
      handler({
        state,
        args,
        origin,
        ...(options.maxBlocksChars ? { maxBlocksChars: options.maxBlocksChars } : {}),
      }),
    ];
  }

  async function handleApi(method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let args: Record<string, unknown>;
    try {
      args = (await parseBody(req.headers['content-type'], await readBody(req))).fields;
    } catch {
      return send(res, 200, { ok: false, error: 'invalid_json' });
    }
    const [status, response, retryAfter] = answer(method, args, req);
    const { token: _secret, ...recorded } = args;
    const channel = stringArgument(args.channel) ?? stringArgument(args.channel_id);
    calls.push({
      method,
      args: recorded,
      ...(channel ? { channel } : {}),
      status,
      response,
      at: clock.now(),
    });
    send(res, status, response, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
  }

  async function handleUpload(fileId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = state.files.get(fileId);
    const raw = await readBody(req);
    if (!file) return send(res, 404, 'upload not found');
    const parsed = await parseBody(req.headers['content-type'], raw).catch(() => undefined);
    const part = parsed && Object.values(parsed.files)[0];
    file.bytes = part ?? raw;
    calls.push({
      method: 'upload',
      args: { file_id: fileId },
      status: 200,
      response: { ok: true },
      at: clock.now(),
    });
    send(res, 200, `OK - ${file.bytes.length}`);
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const api = /^\/api\/([\w.]+)$/.exec(path);
    const upload = /^\/upload\/v1\/(F\w+)$/.exec(path);
    const work =
      req.method !== 'POST'
        ? Promise.resolve(send(res, 405, { ok: false, error: 'method_not_allowed' }))
        : api
          ? handleApi(api[1]!, req, res)
          : upload
            ? handleUpload(upload[1]!, req, res)
            : Promise.resolve(send(res, 404, { ok: false, error: 'not_found' }));
    work.catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: 'internal_error', detail: String(err) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/api/`,
    origin,
    token,
    calls,
    messages: state.messages,
    ephemerals: state.ephemerals,
    files: state.files,
    callsTo: (method) => calls.filter((c) => c.method === method),
    findMessage: (channel, ts) => state.findMessage(channel, ts),
    thread: (channel, ts) => state.thread(channel, ts),
    failNext(method, failure, times = 1) {
      const queue = injected.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      injected.set(method, queue);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
