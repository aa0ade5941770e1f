import { toAdaptiveCard } from '../../cards/render/adaptive-card.ts';
import type { ChatSurface } from '../../core/chat-surface.ts';
import { DeliveryError } from '../../core/errors.ts';
import { type Message, summarizeMessage } from '../../core/message.ts';
import type { MessageRef } from '../../core/outbox/outbox-entry.ts';
import type { TeamsConnector } from './teams/connector-client.ts';
import type { TeamsConversationStore } from './teams/conversation-store.ts';

export interface TeamsSurfaceDeps {
  connector: TeamsConnector;
  conversations: TeamsConversationStore;
  scrub: (s: string) => string;
}

/** Teams documents ~100 KB per bot message (UTF-16); stay well below. */
export const MAX_ACTIVITY_CHARS = 80_000;

/**
 * A message activity carrying the card, with its one-line summary in `summary` (what Teams shows
 * in notifications and the chat list). Not in `text`: Teams would print it above the card, and
 * the Agents Playground splits text and card into two messages (then answers without an id) or,
 * for a new channel thread, shows the text instead of the card.
 */
export function cardActivity(m: Message, scrub: (s: string) => string, id?: string): Record<string, unknown> {
  const card = JSON.parse(scrub(JSON.stringify(toAdaptiveCard(m))));
  const activity = {
    type: 'message',
    ...(id ? { id } : {}),
    summary: scrub(summarizeMessage(m)),
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
  };
  const size = JSON.stringify(activity).length;
  if (size > MAX_ACTIVITY_CHARS) {
    throw new DeliveryError('TEAMS_MESSAGE_TOO_BIG', `card is ${size} chars; Teams allows ~100 KB`, false);
  }
  return activity;
}

/**
 * Teams as a {@link ChatSurface}, through the Agents SDK's connector client. Posting to a team channel
 * starts a new thread (`POST /v3/conversations`); to a chat it sends into the conversation.
 * Message ids are activity ids; `extra.conversationId` is where the activity lives (a channel
 * thread is `19:…;messageid=<root>`) and `extra.serviceUrl` the connector that has it.
 */
export function createTeamsSurface(deps: TeamsSurfaceDeps): ChatSurface {
  async function lookup(channel: string) {
    const ref = await deps.conversations.get(channel);
    if (!ref) {
      throw new DeliveryError(
        'TEAMS_NOT_INSTALLED',
        `the bot has no conversation reference for ${channel}; install the app there first`,
        false,
      );
    }
    return ref;
  }

  async function addressOf(ref: MessageRef) {
    const known = await deps.conversations.get(ref.channel);
    const serviceUrl = ref.extra.serviceUrl ?? known?.serviceUrl;
    const conversationId = ref.extra.conversationId ?? known?.conversationId;
    if (!serviceUrl || !conversationId) {
      throw new DeliveryError('TEAMS_NOT_INSTALLED', `no conversation known for ${ref.channel}`, false);
    }
    return { serviceUrl, conversationId, ...(known ? { channelId: known.channelId, bot: known.bot } : {}) };
  }

  return {
    id: 'teams',
    async post(channel, m) {
      const ref = await lookup(channel);
      const activity = cardActivity(m, deps.scrub);
      if (ref.conversationType === 'channel') {
        const res = await deps.connector.createConversation(ref, {
          isGroup: true,
          bot: ref.bot,
          tenantId: ref.tenantId,
          channelData: {
            channel: { id: ref.teamsChannelId ?? ref.conversationId },
            ...(ref.tenantId ? { tenant: { id: ref.tenantId } } : {}),
          },
          activity,
        });
        const activityId = res.activityId ?? res.id.split(';messageid=')[1] ?? res.id;
        return {
          surface: 'teams',
          channel,
          id: activityId,
          extra: { conversationId: res.id, serviceUrl: ref.serviceUrl },
        };
      }
      const res = await deps.connector.sendToConversation(ref, activity);
      return {
        surface: 'teams',
        channel,
        id: res.id,
        extra: { conversationId: ref.conversationId, serviceUrl: ref.serviceUrl },
      };
    },
    async reply(thread, m) {
      const address = await addressOf(thread);
      const { serviceUrl, conversationId } = address;
      const root = thread.extra.threadId ?? thread.id;
      const activity = { ...cardActivity(m, deps.scrub), replyToId: root };
      const res = await deps.connector.replyToActivity(address, root, activity);
      return {
        surface: 'teams',
        channel: thread.channel,
        id: res.id,
        extra: { conversationId, serviceUrl, threadId: root },
      };
    },
    async update(ref, m) {
      await deps.connector.updateActivity(await addressOf(ref), ref.id, cardActivity(m, deps.scrub, ref.id));
    },
  };
}
