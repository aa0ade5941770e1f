import type { Message } from './message.ts';
import type { Attachment, MessageRef, SurfaceId } from './outbox/outbox-entry.ts';

/** Options of one delivery. */
export interface SendOptions {
  /**
   * The same for every attempt of one delivery. A surface that can search what it posted stores
   * it with the message, so a retry can find a message an interrupted attempt already sent.
   */
  key?: string;
}

/**
 * A chat platform as the outbox sees it. Implementations throw {@link DeliveryError} saying
 * whether a failure is worth retrying and after how long (Retry-After).
 */
export interface ChatSurface {
  readonly id: SurfaceId;
  post(channel: string, message: Message, options?: SendOptions): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  reply(thread: MessageRef, message: Message, options?: SendOptions): Promise<MessageRef>;
  /**
   * The message posted with `key` since `since` (epoch ms) in the channel or thread, if any. The
   * outbox asks before re-sending after a failed or interrupted attempt, because the platform may
   * have acted on a call whose answer never arrived. Without it delivery is at least once.
   */
  findPosted?(
    where: { channel: string; thread: MessageRef | null },
    key: string,
    since: number,
  ): Promise<MessageRef | undefined>;
  /** Images this surface sends after a message instead of inside it; each is queued on its own. */
  attachmentsOf?(message: Message): Attachment[];
  /** Sends one of {@link attachmentsOf} into the message's thread. */
  sendAttachment?(thread: MessageRef, attachment: Attachment, index: number): Promise<void>;
}

/** Who did something in chat, qualified by platform: `teams:<aad id>`, `slack:<user id>`, `console:<name>`. */
export interface ChatUser {
  id: string;
  displayName: string;
}

/** Where an inbound event happened, so the answer goes back to the same place. */
export interface ChatPlace {
  surface: SurfaceId;
  channel: string;
  /** The thread (or the message holding the pressed button). */
  thread: MessageRef | null;
  /** True in a one-to-one chat between the user and the bot (Slack IM, Teams personal chat). */
  direct?: boolean;
}

/** Inbound events from every platform, normalised. */
export type InboundEvent =
  | { kind: 'command'; name: string; args: string; user: ChatUser; place: ChatPlace }
  | { kind: 'question'; text: string; user: ChatUser; place: ChatPlace }
  | {
      kind: 'action';
      verb: string;
      data: Record<string, unknown>;
      user: ChatUser;
      place: ChatPlace;
      /** The message whose button was pressed. */
      message: MessageRef;
    };
