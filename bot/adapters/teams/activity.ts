import { z } from 'zod';

/** A Bot Framework channel account (user or bot). */
export const channelAccount = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
});

export const conversationAccount = z.looseObject({
  id: z.string().min(1),
  conversationType: z.string().optional(),
  tenantId: z.string().optional(),
  isGroup: z.boolean().optional(),
});

/** The fields of an inbound Activity the bot reads; everything else passes through untouched. */
export const inboundActivity = z.looseObject({
  type: z.string().min(1),
  id: z.string().optional(),
  name: z.string().optional(),
  channelId: z.string().default('msteams'),
  serviceUrl: z.url(),
  from: channelAccount,
  recipient: channelAccount,
  conversation: conversationAccount,
  text: z.string().optional(),
  value: z.unknown().optional(),
  replyToId: z.string().optional(),
  action: z.string().optional(),
  membersAdded: z.array(channelAccount).optional(),
  channelData: z
    .looseObject({
      channel: z.looseObject({ id: z.string() }).optional(),
      team: z.looseObject({ id: z.string() }).optional(),
      tenant: z.looseObject({ id: z.string() }).optional(),
    })
    .optional(),
});
export type InboundActivity = z.infer<typeof inboundActivity>;

/** `value` of an `adaptiveCard/action` invoke: the whole Action.Execute, data under `.data`. */
export const actionExecuteValue = z.object({
  action: z.looseObject({
    type: z.string().optional(),
    verb: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
    data: z.record(z.string(), z.unknown()).default({}),
  }),
  trigger: z.string().optional(),
});

/**
 * What the bot keeps to post into a conversation later (proactive messages): the Bot Framework
 * `ConversationReference` fields Teams needs.
 */
export const conversationReference = z.object({
  serviceUrl: z.url(),
  channelId: z.string(),
  /** Base conversation id, without a `;messageid=` thread suffix. */
  conversationId: z.string(),
  conversationType: z.string(),
  tenantId: z.string().optional(),
  /** For team channels: the channel id new threads are created in. */
  teamsChannelId: z.string().optional(),
  bot: z.object({ id: z.string(), name: z.string().optional() }),
  updatedAt: z.number(),
});
export type ConversationReference = z.infer<typeof conversationReference>;

/** Splits `19:abc@thread.tacv2;messageid=123` into the conversation and the thread root. */
export function splitConversationId(id: string): { base: string; threadId: string | undefined } {
  const m = /^(.*);messageid=(\d+)$/.exec(id);
  return m ? { base: m[1]!, threadId: m[2]! } : { base: id, threadId: undefined };
}

/** The reference to keep from an inbound activity. */
export function referenceOf(activity: InboundActivity, now: number): ConversationReference {
  const { base } = splitConversationId(activity.conversation.id);
  const type =
    activity.conversation.conversationType ?? (activity.conversation.isGroup ? 'groupChat' : 'personal');
  const channel = activity.channelData?.channel?.id;
  return {
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    conversationId: base,
    conversationType: type,
    tenantId: activity.conversation.tenantId ?? activity.channelData?.tenant?.id,
    ...(type === 'channel' ? { teamsChannelId: channel ?? base } : {}),
    bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) },
    updatedAt: now,
  };
}
