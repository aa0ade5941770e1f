import type { Clock } from '../../../core/clock.ts';

/** What the local Slack workspace holds; tests read it to assert what the bot did. */

export interface SlackChannel {
  id: string;
  name: string;
}

export interface MessageEdit {
  at: number;
  text?: string;
  blocks?: unknown[];
}

export interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  /** Files shared into the channel with this message (files.completeUploadExternal). */
  files: string[];
  postedAt: number;
  /** Every chat.update, oldest first; `text`/`blocks` above always hold the latest version. */
  edits: MessageEdit[];
  /** Message metadata given to chat.postMessage (`event_type`, `event_payload`). */
  metadata?: MessageMetadata;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
}

export interface UploadedFile {
  id: string;
  filename: string;
  /** The length announced in files.getUploadURLExternal. */
  length: number;
  alt_text?: string;
  title?: string;
  /** The bytes received at the upload URL, once uploaded. */
  bytes?: Buffer;
  completed: boolean;
  channel?: string;
  thread_ts?: string;
}

/** The bot's own identity in the local workspace, as auth.test reports it. */
export const BOT_IDENTITY = {
  team: 'On-call Test',
  team_id: 'T0ONCALL',
  user: 'oncall-bot',
  user_id: 'U0BOTUSER',
  bot_id: 'B0BOTID',
} as const;

export class SlackState {
  readonly messages: PostedMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly files = new Map<string, UploadedFile>();
  private seq = 0;

  constructor(
    readonly clock: Clock,
    readonly channels: readonly SlackChannel[],
  ) {}

  /** Slack-shaped message timestamps: seconds from the clock plus a sequence, so always unique. */
  nextTs(): string {
    this.seq++;
    return `${Math.floor(this.clock.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  nextFileId(): string {
    this.seq++;
    return `F${String(this.seq).padStart(8, '0')}`;
  }

  /** Accepts a channel id, or a name with or without `#`, like Slack does for posting. */
  findChannel(idOrName: string | undefined): SlackChannel | undefined {
    if (!idOrName) return undefined;
    const name = idOrName.replace(/^#/, '');
    return this.channels.find((c) => c.id === idOrName || c.name === name);
  }

  findMessage(channel: string, ts: string): PostedMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** The replies in a thread, oldest first (the parent itself is not included). */
  thread(channel: string, ts: string): PostedMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts);
  }
}
