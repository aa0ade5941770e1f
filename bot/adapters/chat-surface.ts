import type { Message } from '../../cards/model.ts';
import type { MessageRef, SurfaceId } from '../outbox/outbox-entry.ts';

/**
 * A chat platform as the outbox sees it. Implementations throw {@link DeliveryError} saying
 * whether a failure is worth retrying and after how long (Retry-After).
 */
export interface ChatSurface {
  readonly id: SurfaceId;
  post(channel: string, message: Message): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  reply(thread: MessageRef, message: Message): Promise<MessageRef>;
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
