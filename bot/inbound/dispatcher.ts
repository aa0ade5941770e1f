import { randomBytes } from 'node:crypto';
import { textReply } from '../../cards/templates/incident-replies.ts';
import type { InboundEvent } from '../../core/chat-surface.ts';
import { describeArgsError } from '../../core/describe-args-error.ts';
import { describeForChat, UserFacingError } from '../../core/errors.ts';
import type { Message } from '../../core/message.ts';
import { enqueueReply } from '../../core/outbox/enqueue.ts';
import {
  type ButtonHandler,
  type CommandHandler,
  type HandlerAnswer,
  type HandlerDeps,
  isQueued,
  parseCommandArgs,
} from '../../handlers/commands/command.ts';
import type { QuestionAnswerer } from '../../handlers/module.ts';
import { editDistance } from '../../queries/gpu/suggest-node.ts';
import type { Logger } from '../logger.ts';

export interface DispatcherDeps {
  commands: readonly CommandHandler[];
  buttons: readonly ButtonHandler[];
  handlerDeps: HandlerDeps;
  logger: Logger;
  /** Called after a reply was queued, so delivery starts at once. */
  onQueued: () => void;
  /** Answers questions in words; without it the bot lists the commands it understands. */
  answerQuestion?: QuestionAnswerer;
}

/** The known command nearest to a mistyped one (at most 2 edits, or a shared start), if any. */
export function nearestCommand(name: string, known: Iterable<string>): string | undefined {
  let best: { id: string; d: number } | undefined;
  for (const id of known) {
    const d = id.startsWith(name) || name.startsWith(id) ? 1 : editDistance(name, id);
    if (d <= Math.max(1, Math.min(2, Math.floor(id.length / 3))) && (!best || d < best.d)) best = { id, d };
  }
  return best?.id;
}

/** What one chat event was, for the operator-action log line. */
function actionOf(event: InboundEvent): string {
  if (event.kind === 'action') return `button:${event.verb}`;
  if (event.kind === 'command') return `/${event.name}`;
  return 'question';
}

/**
 * Routes every inbound chat event to its handler and queues the answer in the place it came from.
 * Handler errors become a chat reply: the text of a user-facing error, a reference otherwise.
 * Every command and button press is logged once (who, what, which incident, outcome); a user's
 * mistake is logged at info without a stack, anything else at error with it.
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

  function unknownCommand(name: string): UserFacingError {
    const near = nearestCommand(name, commands.keys());
    return new UserFacingError(
      'UNKNOWN_COMMAND',
      `There is no such command: /${name}.${near ? ` Did you mean /${near}?` : ''} See /help for the list.`,
    );
  }

  async function answer(event: InboundEvent, incidentId: number | undefined): Promise<HandlerAnswer> {
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
      // "alerts?" is the command asked as a question.
      const bare = /^([a-z][\w-]*)\s*\?+$/i.exec(event.text.trim());
      const asked = bare ? commands.get(bare[1]!.toLowerCase()) : undefined;
      const parsed = asked?.args.safeParse(parseCommandArgs(''));
      if (asked && parsed?.success)
        return asked.handle(
          { args: parsed.data, user: event.user, place: event.place, incidentId },
          deps.handlerDeps,
        );
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
    if (!handler) throw unknownCommand(event.name);
    // A question mark is never an argument: "gpu node-7?" is /gpu node-7.
    const args = event.args.replace(/\s*\?+$/, '');
    const parsed = handler.args.safeParse(parseCommandArgs(args));
    if (!parsed.success) {
      const usage = describeArgsError(handler, parsed.error);
      // "gpu memory on node 3" starts with a command word but is a question: answer it as one,
      // and say why, so someone who meant the command sees its usage too.
      if (deps.answerQuestion && args !== '') {
        const answer = await deps.answerQuestion(`${event.name} ${event.args}`, {
          user: event.user,
          place: event.place,
          handlerDeps: deps.handlerDeps,
        });
        const why = `Read as a question: "${args.slice(0, 80)}" is not what /${handler.id} takes. ${usage}`;
        return { ...answer, sections: [...answer.sections, { kind: 'notice', tone: 'default', text: why }] };
      }
      throw new UserFacingError('BAD_ARGUMENTS', usage);
    }
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
      let queued = false;
      const base = { user: event.user.id, action: actionOf(event), surface: event.place.surface };
      let incidentId: number | undefined;
      try {
        incidentId = await incidentOf(event);
        const result = await answer(event, incidentId);
        queued = isQueued(result);
        reply = isQueued(result) ? result.shown : result;
        if (event.kind !== 'question')
          deps.logger.info({ ...base, incidentId, outcome: 'ok' }, 'operator action');
      } catch (err) {
        const ref = randomBytes(3).toString('hex');
        if (err instanceof UserFacingError) {
          // A typo or a refusal: what the person was told is the whole story, no stack.
          deps.logger.info(
            { ...base, incidentId, outcome: 'refused', code: err.code, ref, reason: err.message },
            'operator action refused',
          );
        } else {
          deps.logger.error({ ...base, incidentId, err, code: 'HANDLER_FAILED', ref }, 'chat event failed');
        }
        reply = textReply(describeForChat(err, ref), 'attention');
      }
      if (!queued) {
        const { clock } = deps.handlerDeps;
        const to = { surface: event.place.surface, channel: event.place.channel, thread: event.place.thread };
        await store.transaction((tx) => enqueueReply(tx, to, reply, clock.now()));
        deps.onQueued();
      }
      return reply;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
