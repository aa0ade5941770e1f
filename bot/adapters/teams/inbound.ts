import { toAdaptiveCard } from '../../../cards/render/adaptive-card.ts';
import type { ChatPlace, ChatUser, InboundEvent } from '../../../core/chat-surface.ts';
import { type Message, summarizeMessage } from '../../../core/message.ts';
import type { MessageRef } from '../../../core/outbox/outbox-entry.ts';
import { parseChatText } from '../../inbound/parse-chat-text.ts';
import type { Logger } from '../../logger.ts';
import { actionExecuteValue, type InboundActivity, referenceOf, splitConversationId } from './activity.ts';
import type { TeamsConversationStore } from './conversation-store.ts';

export interface TeamsInboundDeps {
  conversations: TeamsConversationStore;
  dispatcher: { commandNames: ReadonlySet<string>; dispatch(event: InboundEvent): Promise<Message> };
  /** The incident whose card a Teams activity id is, if any. */
  findIncident(activityId: string): Promise<number | undefined>;
  /** The incident's card as of now (for the clicker's invoke response). */
  renderIncident(incidentId: number): Promise<Message | undefined>;
  /** Configured on-call channel; by default the first team channel the bot is installed in. */
  oncallChannel: string | undefined;
  /**
   * A conversation became the on-call channel: incident cards go there from now on. Other
   * replicas learn it from the store (see `refresh` in start-teams.ts).
   */
  onOncall(channel: string): void;
  scrub: (s: string) => string;
  now(): number;
  logger: Logger;
}

/** The HTTP answer to an activity: invokes are answered in the body, everything else with 200. */
export interface ActivityResponse {
  status: number;
  body?: unknown;
}

const INVOKE_CARD = 'application/vnd.microsoft.card.adaptive';
const INVOKE_MESSAGE = 'application/vnd.microsoft.activity.message';

/** The key a conversation is known by: the team channel id, or the chat's conversation id. */
function placeKey(a: InboundActivity): string {
  const { base } = splitConversationId(a.conversation.id);
  return a.conversation.conversationType === 'channel' ? (a.channelData?.channel?.id ?? base) : base;
}

/** A one-to-one chat between the user and the bot. */
export const isPersonalChat = (a: InboundActivity): boolean => a.conversation.conversationType === 'personal';

const teamsUser = (a: InboundActivity): ChatUser => ({
  id: `teams:${a.from.aadObjectId ?? a.from.id}`,
  displayName: a.from.name || a.from.id,
});

/**
 * Turns Teams activities into inbound events: installs and first contact store the conversation
 * reference; messages become commands or questions (with or without `/` or an @mention);
 * `adaptiveCard/action` invokes become button presses, answered with the re-rendered card.
 */
export function createTeamsInbound(deps: TeamsInboundDeps) {
  async function remember(a: InboundActivity): Promise<string> {
    const key = placeKey(a);
    await deps.conversations.save(key, referenceOf(a, deps.now()));
    const isChannel = a.conversation.conversationType === 'channel';
    const recorded = await deps.conversations.oncall();
    if (deps.oncallChannel !== undefined) {
      // The configured channel wins over whatever was recorded before.
      if (deps.oncallChannel !== key) return key;
      if (recorded !== key) await deps.conversations.setOncall(key);
    } else {
      // The first team channel the bot is installed in; another replica may have just claimed one.
      const oncall = recorded ?? (isChannel ? await deps.conversations.claimOncall(key) : undefined);
      if (oncall !== key) return key;
    }
    // Idempotent: this replica may not have the target yet when another one recorded the channel.
    deps.onOncall(key);
    if (recorded !== key) deps.logger.info({ surface: 'teams', channel: key }, 'teams on-call channel set');
    return key;
  }

  function threadOf(a: InboundActivity, channel: string): MessageRef | null {
    const { threadId } = splitConversationId(a.conversation.id);
    const root = threadId ?? (a.conversation.conversationType === 'channel' ? a.id : undefined);
    if (!root) return null;
    const conversationId = threadId ? a.conversation.id : `${a.conversation.id};messageid=${root}`;
    return { surface: 'teams', channel, id: root, extra: { conversationId, serviceUrl: a.serviceUrl } };
  }

  async function onMessage(a: InboundActivity, channel: string): Promise<ActivityResponse> {
    const place: ChatPlace = {
      surface: 'teams',
      channel,
      thread: threadOf(a, channel),
      direct: isPersonalChat(a),
    };
    // An Action.Submit fallback (older clients) arrives as a message whose value names the verb.
    const submitted = a.value as { verb?: unknown } | undefined;
    if (!a.text && typeof submitted?.verb === 'string' && a.replyToId) {
      const { verb, ...data } = submitted as Record<string, unknown> & { verb: string };
      const message = { ...(place.thread ?? threadOf(a, channel)!), id: a.replyToId };
      await deps.dispatcher.dispatch({ kind: 'action', verb, data, user: teamsUser(a), place, message });
      return { status: 200 };
    }
    const parsed = parseChatText(a.text ?? '', deps.dispatcher.commandNames);
    if (parsed.kind === 'question' && !parsed.text) return { status: 200 };
    const user = teamsUser(a);
    await deps.dispatcher.dispatch(
      parsed.kind === 'command'
        ? { kind: 'command', name: parsed.name, args: parsed.args, user, place }
        : { kind: 'question', text: parsed.text, user, place },
    );
    return { status: 200 };
  }

  async function onCardAction(a: InboundActivity, channel: string): Promise<ActivityResponse> {
    const value = actionExecuteValue.safeParse(a.value);
    if (!value.success || !a.replyToId) {
      return {
        status: 200,
        body: {
          statusCode: 400,
          type: 'application/vnd.microsoft.error',
          value: { code: 'BadRequest', message: 'Not an Action.Execute this bot understands.' },
        },
      };
    }
    const { verb, data } = value.data.action;
    const thread = threadOf(a, channel);
    const message: MessageRef = {
      surface: 'teams',
      channel,
      id: a.replyToId,
      extra: { conversationId: a.conversation.id, serviceUrl: a.serviceUrl },
    };
    const reply = await deps.dispatcher.dispatch({
      kind: 'action',
      verb,
      data,
      user: teamsUser(a),
      place: { surface: 'teams', channel, thread: thread ?? message, direct: isPersonalChat(a) },
      message,
    });
    // The clicker sees the new state at once; the outbox updates the card for everyone else.
    const incidentId = await deps.findIncident(a.replyToId);
    const card = incidentId === undefined ? undefined : await deps.renderIncident(incidentId);
    const body = card
      ? {
          statusCode: 200,
          type: INVOKE_CARD,
          value: JSON.parse(deps.scrub(JSON.stringify(toAdaptiveCard(card)))),
        }
      : { statusCode: 200, type: INVOKE_MESSAGE, value: deps.scrub(summarizeMessage(reply)) };
    return { status: 200, body };
  }

  return {
    async handle(a: InboundActivity): Promise<ActivityResponse> {
      const channel = await remember(a);
      if (a.type === 'message') return onMessage(a, channel);
      if (a.type === 'invoke' && a.name === 'adaptiveCard/action') return onCardAction(a, channel);
      if (a.type === 'invoke') return { status: 501 };
      // conversationUpdate, installationUpdate …: the reference is stored above; nothing to answer.
      return { status: 200 };
    },
  };
}

export type TeamsInbound = ReturnType<typeof createTeamsInbound>;
