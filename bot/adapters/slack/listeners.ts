import type { App } from '@slack/bolt';
import { decodeBlockKitAction, type SlackActionPayload } from '../../../cards/render/block-kit.ts';
import type { ChatPlace, ChatUser, InboundEvent } from '../../../core/chat-surface.ts';
import type { MessageRef } from '../../../core/outbox/outbox-entry.ts';
import { parseChatText } from '../../inbound/parse-chat-text.ts';
import type { Logger } from '../../logger.ts';

/** The part of the dispatcher Slack needs. */
export interface SlackDispatch {
  commandNames: ReadonlySet<string>;
  dispatch(event: InboundEvent): Promise<unknown>;
}

const ref = (channel: string, ts: string, threadTs?: string): MessageRef => ({
  surface: 'slack',
  channel,
  id: ts,
  extra: threadTs && threadTs !== ts ? { threadId: threadTs } : {},
});

/**
 * Slack direct messages (one-to-one with the bot) live in channels whose id starts with `D`;
 * events also say `channel_type: 'im'`, slash commands `channel_name: 'directmessage'`.
 */
export function isDirectChannel(channel: string, hint?: string): boolean {
  return hint === 'im' || hint === 'directmessage' || /^D[A-Z0-9]+$/.test(channel);
}

const place = (channel: string, thread: MessageRef | null, hint?: string): ChatPlace => ({
  surface: 'slack',
  channel,
  thread,
  direct: isDirectChannel(channel, hint),
});

const slackUser = (id: string, name?: string): ChatUser => ({ id: `slack:${id}`, displayName: name || id });

/** Text typed to the bot becomes a command when it names one, a question otherwise. */
export function textEvent(
  text: string,
  user: ChatUser,
  where: ChatPlace,
  commandNames: ReadonlySet<string>,
): InboundEvent {
  const parsed = parseChatText(text.replace(/<@[UW][A-Z0-9]+>/g, ' '), commandNames);
  return parsed.kind === 'command'
    ? { kind: 'command', name: parsed.name, args: parsed.args, user, place: where }
    : { kind: 'question', text: parsed.text, user, place: where };
}

/** A slash command: `/ask …` (or any unknown-to-the-dispatcher name that is a question) vs commands. */
export function slashEvent(
  command: string,
  text: string,
  user: ChatUser,
  where: ChatPlace,
  commandNames: ReadonlySet<string>,
): InboundEvent {
  const name = command.replace(/^\//, '').toLowerCase();
  if (name === 'ask' && !commandNames.has('ask')) return { kind: 'question', text, user, place: where };
  return { kind: 'command', name, args: text.trim(), user, place: where };
}

/**
 * Bolt listeners: every one acknowledges first (Slack's 3-second budget) and then dispatches; the
 * answer goes through the outbox into the channel or thread the event came from.
 */
export function registerSlackListeners(app: App, dispatcher: SlackDispatch, logger: Logger): void {
  const run = (event: InboundEvent) =>
    dispatcher.dispatch(event).catch((err: unknown) => {
      logger.error({ err, code: 'SLACK_DISPATCH', user: event.user.id }, 'slack event not handled');
    });

  app.command(/^\/[a-z][\w-]*$/, async ({ command, ack }) => {
    await ack();
    await run(
      slashEvent(
        command.command,
        command.text,
        slackUser(command.user_id, command.user_name),
        place(command.channel_id, null, command.channel_name),
        dispatcher.commandNames,
      ),
    );
  });

  app.action(/^oncall:/, async ({ ack, body, action }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    const pressed = action as unknown as SlackActionPayload;
    const decoded = decodeBlockKitAction(pressed);
    const channel = body.channel?.id ?? body.container?.channel_id;
    const message = body.message as { ts?: string; thread_ts?: string } | undefined;
    if (!decoded || !channel || !message?.ts) {
      logger.warn({ code: 'SLACK_BAD_ACTION', actionId: pressed.action_id }, 'unrecognised slack action');
      return;
    }
    const card = ref(channel, message.ts, message.thread_ts);
    await run({
      kind: 'action',
      verb: decoded.verb,
      data: decoded.data,
      user: slackUser(body.user.id, body.user.name ?? (body.user as { username?: string }).username),
      place: place(channel, card),
      message: card,
    });
  });

  app.event('app_mention', async ({ event }) => {
    if (!event.user) return;
    const root = event.thread_ts ?? event.ts;
    await run(
      textEvent(
        event.text,
        slackUser(event.user),
        place(event.channel, ref(event.channel, root)),
        dispatcher.commandNames,
      ),
    );
  });

  // Direct messages to the bot; channel messages arrive as app_mention above.
  app.message(async ({ message }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined || !message.user) return;
    const thread = message.thread_ts ? ref(message.channel, message.thread_ts) : null;
    await run(
      textEvent(
        message.text ?? '',
        slackUser(message.user),
        place(message.channel, thread, message.channel_type),
        dispatcher.commandNames,
      ),
    );
  });
}
