import { describeViolations, findBlockViolations } from './block-limits.ts';
import { jsonArgument, stringArgument } from './parse-body.ts';
import { BOT_IDENTITY, type MessageMetadata, type PostedMessage, type SlackState } from './state.ts';

/** The Web API methods the local server speaks, each a function of the parsed arguments. */

export type MethodResponse = { ok: boolean } & Record<string, unknown>;

export interface MethodContext {
  state: SlackState;
  args: Record<string, unknown>;
  /** `http://127.0.0.1:<port>`, for URLs the server hands out (upload URLs). */
  origin: string;
  /** When set, blocks whose JSON is longer fail with `msg_blocks_too_long` (observed in Slack). */
  maxBlocksChars?: number;
}

const MAX_TEXT = 40_000;

const fail = (error: string, extra: Record<string, unknown> = {}): MethodResponse => ({
  ok: false,
  error,
  ...extra,
});

type Content = { text?: string; blocks?: unknown[] };

/** Validates `text` and `blocks` as chat.postMessage does; an error response when invalid. */
function readContent(ctx: MethodContext): Content | MethodResponse {
  const text = stringArgument(ctx.args.text);
  let blocks: unknown;
  try {
    blocks = jsonArgument(ctx.args.blocks);
  } catch {
    return fail('invalid_blocks_format');
  }
  if (blocks !== undefined && !Array.isArray(blocks)) return fail('invalid_blocks_format');
  if (text === undefined && (blocks === undefined || blocks.length === 0)) return fail('no_text');
  if (text !== undefined && text.length > MAX_TEXT) return fail('msg_too_long');
  if (blocks !== undefined) {
    const violations = findBlockViolations(blocks);
    if (violations.length)
      return fail('invalid_blocks', { response_metadata: { messages: describeViolations(violations) } });
    if (ctx.maxBlocksChars !== undefined && JSON.stringify(blocks).length > ctx.maxBlocksChars) {
      return fail('msg_blocks_too_long');
    }
  }
  return {
    ...(text !== undefined ? { text } : {}),
    ...(blocks !== undefined ? { blocks: blocks as unknown[] } : {}),
  };
}

const isError = (v: Content | MethodResponse): v is MethodResponse => 'ok' in v;

function messageView(
  m: { ts: string; thread_ts?: string; text?: string; blocks?: unknown[]; metadata?: MessageMetadata },
  withMetadata = false,
) {
  return {
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    type: 'message',
    user: BOT_IDENTITY.user_id,
    bot_id: BOT_IDENTITY.bot_id,
    ts: m.ts,
    text: m.text ?? '',
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  };
}

function postMessage(ctx: MethodContext): MethodResponse {
  const channel = ctx.state.findChannel(stringArgument(ctx.args.channel));
  if (!channel) return fail('channel_not_found');
  const content = readContent(ctx);
  if (isError(content)) return content;
  const metadata = readMetadata(ctx.args.metadata);
  if (metadata === null) return fail('invalid_metadata_format');
  const threadTs = stringArgument(ctx.args.thread_ts);
  const ts = ctx.state.nextTs();
  const posted = {
    ...(metadata ? { metadata } : {}),
    channel: channel.id,
    ts,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...content,
    files: [],
    postedAt: ctx.state.clock.now(),
    edits: [],
  };
  ctx.state.messages.push(posted);
  return { ok: true, channel: channel.id, ts, message: messageView(posted) };
}

/** `metadata` as chat.postMessage takes it (JSON string in forms); null when malformed. */
function readMetadata(arg: unknown): MessageMetadata | undefined | null {
  let value: unknown;
  try {
    value = jsonArgument(arg);
  } catch {
    return null;
  }
  if (value === undefined) return undefined;
  const m = value as Partial<MessageMetadata> | null;
  if (typeof m?.event_type !== 'string' || typeof m.event_payload !== 'object' || m.event_payload === null) {
    return null;
  }
  return { event_type: m.event_type, event_payload: m.event_payload };
}

const truthy = (arg: unknown) => ['true', '1'].includes(stringArgument(arg) ?? '');

/** A page of messages, newest first, as conversations.history and .replies answer. */
function page(messages: PostedMessage[], ctx: MethodContext): MethodResponse {
  const limit = Math.min(Number(stringArgument(ctx.args.limit) ?? 100) || 100, 999);
  const oldest = Number(stringArgument(ctx.args.oldest) ?? 0);
  const inRange = messages.filter((m) => Number(m.ts) >= oldest).reverse();
  return {
    ok: true,
    messages: inRange.slice(0, limit).map((m) => messageView(m, truthy(ctx.args.include_all_metadata))),
    has_more: inRange.length > limit,
  };
}

/** Top-level messages of a channel (thread replies stay in their threads). */
function history(ctx: MethodContext): MethodResponse {
  const channel = ctx.state.findChannel(stringArgument(ctx.args.channel));
  if (!channel) return fail('channel_not_found');
  return page(
    ctx.state.messages.filter((m) => m.channel === channel.id && (!m.thread_ts || m.thread_ts === m.ts)),
    ctx,
  );
}

/** A thread: its parent first in time, then the replies. */
function replies(ctx: MethodContext): MethodResponse {
  const channel = ctx.state.findChannel(stringArgument(ctx.args.channel));
  if (!channel) return fail('channel_not_found');
  const ts = stringArgument(ctx.args.ts) ?? '';
  const parent = ctx.state.findMessage(channel.id, ts);
  if (!parent) return fail('thread_not_found');
  return page([parent, ...ctx.state.thread(channel.id, ts)], ctx);
}

function update(ctx: MethodContext): MethodResponse {
  const channel = ctx.state.findChannel(stringArgument(ctx.args.channel));
  if (!channel) return fail('channel_not_found');
  const message = ctx.state.findMessage(channel.id, stringArgument(ctx.args.ts) ?? '');
  if (!message) return fail('message_not_found');
  const content = readContent(ctx);
  if (isError(content)) return content;
  message.edits.push({ at: ctx.state.clock.now(), ...content });
  message.text = content.text;
  message.blocks = content.blocks;
  return {
    ok: true,
    channel: channel.id,
    ts: message.ts,
    text: message.text ?? '',
    message: messageView(message),
  };
}

function postEphemeral(ctx: MethodContext): MethodResponse {
  const channel = ctx.state.findChannel(stringArgument(ctx.args.channel));
  if (!channel) return fail('channel_not_found');
  const user = stringArgument(ctx.args.user);
  if (!user) return fail('user_not_found');
  const content = readContent(ctx);
  if (isError(content)) return content;
  const threadTs = stringArgument(ctx.args.thread_ts);
  const messageTs = ctx.state.nextTs();
  ctx.state.ephemerals.push({
    channel: channel.id,
    user,
    message_ts: messageTs,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...content,
  });
  return { ok: true, message_ts: messageTs };
}

function conversationsInfo(ctx: MethodContext): MethodResponse {
  const channel = ctx.state.findChannel(stringArgument(ctx.args.channel));
  if (!channel) return fail('channel_not_found');
  return {
    ok: true,
    channel: {
      id: channel.id,
      name: channel.name,
      is_channel: true,
      is_private: false,
      is_member: true,
      is_archived: false,
    },
  };
}

function getUploadUrl(ctx: MethodContext): MethodResponse {
  const filename = stringArgument(ctx.args.filename);
  const length = Number(stringArgument(ctx.args.length));
  if (!filename || !Number.isInteger(length) || length < 0) return fail('invalid_arguments');
  const id = ctx.state.nextFileId();
  const alt = stringArgument(ctx.args.alt_text) ?? stringArgument(ctx.args.alt_txt);
  ctx.state.files.set(id, { id, filename, length, completed: false, ...(alt ? { alt_text: alt } : {}) });
  return { ok: true, upload_url: `${ctx.origin}/upload/v1/${id}`, file_id: id };
}

function completeUpload(ctx: MethodContext): MethodResponse {
  let entries: unknown;
  try {
    entries = jsonArgument(ctx.args.files);
  } catch {
    return fail('invalid_arguments');
  }
  if (!Array.isArray(entries) || entries.length === 0) return fail('invalid_arguments');
  const channelArg = stringArgument(ctx.args.channel_id) ?? stringArgument(ctx.args.channels)?.split(',')[0];
  const channel = channelArg === undefined ? undefined : ctx.state.findChannel(channelArg);
  if (channelArg !== undefined && !channel) return fail('channel_not_found');
  const threadTs = stringArgument(ctx.args.thread_ts);
  const files = [];
  for (const entry of entries as { id?: unknown; title?: unknown }[]) {
    const file = typeof entry?.id === 'string' ? ctx.state.files.get(entry.id) : undefined;
    // Slack refuses to complete a file whose bytes never arrived or whose size differs.
    if (!file?.bytes || file.bytes.length !== file.length) return fail('file_not_found');
    files.push(file);
  }
  for (const [i, file] of files.entries()) {
    const title = stringArgument((entries as { title?: unknown }[])[i]?.title);
    Object.assign(file, { completed: true, ...(title ? { title } : {}) });
    if (channel) Object.assign(file, { channel: channel.id, ...(threadTs ? { thread_ts: threadTs } : {}) });
  }
  if (channel) {
    const comment = stringArgument(ctx.args.initial_comment);
    ctx.state.messages.push({
      channel: channel.id,
      ts: ctx.state.nextTs(),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(comment ? { text: comment } : {}),
      files: files.map((f) => f.id),
      postedAt: ctx.state.clock.now(),
      edits: [],
    });
  }
  return {
    ok: true,
    files: files.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename, size: f.length })),
  };
}

function authTest(ctx: MethodContext): MethodResponse {
  return { ok: true, url: `${ctx.origin}/`, ...BOT_IDENTITY, is_enterprise_install: false };
}

export const METHODS: Record<string, (ctx: MethodContext) => MethodResponse> = {
  'auth.test': authTest,
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'conversations.info': conversationsInfo,
  'conversations.history': history,
  'conversations.replies': replies,
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
};
