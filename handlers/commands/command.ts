import type { z } from 'zod';
import type { ChatPlace, ChatUser } from '../../core/chat-surface.ts';
import type { Message } from '../../core/message.ts';
import type { IncidentOpsDeps } from '../alerts/incident-actions.ts';

/** Everything a handler may use; handlers never see platform SDKs. */
export interface HandlerDeps extends IncidentOpsDeps {}

export interface CommandContext<A> {
  args: A;
  user: ChatUser;
  place: ChatPlace;
  /** The incident whose thread the command was typed in, if any. */
  incidentId: number | undefined;
}

/** Tokens of a command line: `key=value` pairs are named unless they look like label matchers. */
export interface CommandArgs {
  positional: string[];
  named: Record<string, string>;
  raw: string;
}

/**
 * An answer the handler queued itself, because the outbox keeps it up to date (a proposal card
 * edited at every step): the dispatcher queues nothing more. `shown` is for inline responses.
 */
export interface QueuedAnswer {
  queued: true;
  shown: Message;
}

/** What a handler answers: a message the dispatcher queues as the reply, or one already queued. */
export type HandlerAnswer = Message | QueuedAnswer;

/** Marks a message the handler already queued (see {@link QueuedAnswer}). */
export function alreadyQueued(shown: Message): QueuedAnswer {
  return { queued: true, shown };
}

export function isQueued(answer: HandlerAnswer): answer is QueuedAnswer {
  return 'queued' in answer && answer.queued === true;
}

/** The message an answer shows, queued or not. */
export function shownOf(answer: HandlerAnswer): Message {
  return isQueued(answer) ? answer.shown : answer;
}

/** A chat command: data, listed once in the composition root. */
export interface CommandHandler<S extends z.ZodType = z.ZodType> {
  id: string;
  usage: string;
  description: string;
  /** Turns the tokenised command line into typed arguments; errors name the bad argument. */
  args: S;
  handle(ctx: CommandContext<z.output<S>>, deps: HandlerDeps): Promise<HandlerAnswer>;
}

/** Erases a command's argument type so differently-typed commands fit in one list. */
export function defineCommand<S extends z.ZodType>(command: CommandHandler<S>): CommandHandler {
  return command as unknown as CommandHandler;
}

/** A card button: data, listed once in the composition root. */
export interface ButtonHandler {
  verb: string;
  handle(
    ctx: { data: Record<string, unknown>; user: ChatUser; place: ChatPlace; incidentId: number | undefined },
    deps: HandlerDeps,
  ): Promise<HandlerAnswer>;
}

const TOKEN = /"((?:[^"\\]|\\.)*)"|(\S+)/g;

/** Splits a command line into tokens, honouring double quotes. */
export function tokenize(text: string): string[] {
  return [...text.matchAll(TOKEN)].map(([, quoted, bare]) =>
    quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare!,
  );
}

/** Positional tokens and `name=value` options (`=~`, `!=`, `!~` stay positional: they are matchers). */
export function parseCommandArgs(text: string): CommandArgs {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  for (const token of tokenize(text)) {
    const m = /^([a-z][\w-]*)=([^~].*|)$/i.exec(token);
    if (m && !token.includes('!=')) named[m[1]!.toLowerCase()] = m[2]!;
    else positional.push(token);
  }
  return { positional, named, raw: text.trim() };
}
