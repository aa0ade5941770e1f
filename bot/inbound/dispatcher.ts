import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Message } from '../../cards/model.ts';
import { textReply } from '../../cards/templates/incident-replies.ts';
import {
  type ButtonHandler,
  type CommandHandler,
  type HandlerDeps,
  parseCommandArgs,
} from '../../handlers/commands/command.ts';
import type { InboundEvent } from '../adapters/chat-surface.ts';
import { describeForChat, UserFacingError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { BotModule } from '../module.ts';
import { enqueueReply } from '../outbox/enqueue.ts';

export interface DispatcherDeps {
  commands: readonly CommandHandler[];
  buttons: readonly ButtonHandler[];
  handlerDeps: HandlerDeps;
  logger: Logger;
  /** Called after a reply was queued, so delivery starts at once. */
  onQueued: () => void;
  /** Answers questions in words; without it the bot lists the commands it understands. */
  answerQuestion?: BotModule['answerQuestion'];
}

function describeArgsError(handler: CommandHandler, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'invalid arguments'}. Usage: ${handler.usage}`;
}

/**
 * Routes every inbound chat event to its handler and queues the answer in the place it came from.
 * Handler errors become a chat reply: the text of a user-facing error, a reference otherwise.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const commands = new Map(deps.commands.map((c) => [c.id, c]));
  const buttons = new Map(deps.buttons.map((b) => [b.verb, b]));
  const { store } = deps.handlerDeps;

  async function incidentOf(event: InboundEvent): Promise<number | undefined> {
    const ref = event.kind === 'action' ? event.message : event.place.thread;
    if (!ref) return undefined;
    return (
      (await store.chatMessages.findIncidentByMessage(ref.surface, ref.id)) ??
      (ref.extra.threadId
        ? await store.chatMessages.findIncidentByMessage(ref.surface, ref.extra.threadId)
        : undefined)
    );
  }

  async function answer(event: InboundEvent): Promise<Message> {
    const incidentId = await incidentOf(event);
    if (event.kind === 'action') {
      const button = buttons.get(event.verb);
      if (!button)
        throw new UserFacingError('UNKNOWN_ACTION', `This button ("${event.verb}") is not supported.`);
      return button.handle(
        { data: event.data, user: event.user, place: event.place, incidentId },
        deps.handlerDeps,
      );
    }
    if (event.kind === 'question') {
      if (deps.answerQuestion) {
        return deps.answerQuestion(event.text, {
          user: event.user,
          place: event.place,
          handlerDeps: deps.handlerDeps,
        });
      }
      const list = [...commands.values()].map((c) => c.usage).join(', ');
      return textReply(
        `I did not recognise a command in "${event.text.slice(0, 200)}". I understand: ${list}.`,
      );
    }
    const handler = commands.get(event.name);
    if (!handler)
      throw new UserFacingError('UNKNOWN_COMMAND', `There is no /${event.name} command. Type /help.`);
    const parsed = handler.args.safeParse(parseCommandArgs(event.args));
    if (!parsed.success) throw new UserFacingError('BAD_ARGUMENTS', describeArgsError(handler, parsed.error));
    return handler.handle(
      { args: parsed.data, user: event.user, place: event.place, incidentId },
      deps.handlerDeps,
    );
  }

  return {
    commandNames: new Set(commands.keys()),
    /** Handles one event and queues its answer; returns the answer (Teams shows it inline too). */
    async dispatch(event: InboundEvent): Promise<Message> {
      let reply: Message;
      try {
        reply = await answer(event);
      } catch (err) {
        const ref = randomBytes(3).toString('hex');
        const code = err instanceof UserFacingError ? err.code : 'HANDLER_FAILED';
        const level = err instanceof UserFacingError ? 'info' : 'error';
        deps.logger[level]({ err, code, ref, user: event.user.id, kind: event.kind }, 'chat event failed');
        reply = textReply(describeForChat(err, ref), 'attention');
      }
      const { clock } = deps.handlerDeps;
      const to = { surface: event.place.surface, channel: event.place.channel, thread: event.place.thread };
      await store.transaction((tx) => enqueueReply(tx, to, reply, clock.now()));
      deps.onQueued();
      return reply;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
