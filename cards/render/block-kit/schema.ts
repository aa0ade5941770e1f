import { z } from 'zod';

/**
 * The Block Kit subset the renderer emits, with Slack's documented limits written into the
 * schemas (formats.md §6). Parsing a rendered message with {@link blockKitMessage} proves it
 * respects every limit; the renderer itself is built to stay inside them.
 */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  blockId: 255,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  imageUrl: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  placeholder: 150,
  messageText: 40_000,
} as const;

const L = BLOCK_KIT_LIMITS;

export const plainText = (max: number) =>
  z.object({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });
export type PlainText = z.infer<ReturnType<typeof plainText>>;

export const mrkdwnText = (max: number) =>
  z.object({
    type: z.literal('mrkdwn'),
    text: z.string().min(1).max(max),
    /** Always true: without it Slack links bare URLs and #channel names in sender text. */
    verbatim: z.literal(true),
  });
export type MrkdwnText = z.infer<ReturnType<typeof mrkdwnText>>;

const blockId = z.string().min(1).max(L.blockId);
const actionId = z.string().min(1).max(L.actionId);

export const headerBlock = z.object({
  type: z.literal('header'),
  block_id: blockId,
  text: plainText(L.headerText),
});

export const sectionBlock = z
  .object({
    type: z.literal('section'),
    block_id: blockId,
    text: mrkdwnText(L.sectionText).optional(),
    fields: z.array(mrkdwnText(L.fieldText)).min(1).max(L.sectionFields).optional(),
  })
  .refine((b) => b.text !== undefined || b.fields !== undefined, 'a section needs text or fields');

export const contextBlock = z.object({
  type: z.literal('context'),
  block_id: blockId,
  elements: z.array(mrkdwnText(L.sectionText)).min(1).max(L.contextElements),
});

export const imageBlock = z.object({
  type: z.literal('image'),
  block_id: blockId,
  image_url: z.url().max(L.imageUrl),
  alt_text: z.string().min(1).max(L.imageAltText),
  title: plainText(L.imageTitle).optional(),
});

export const buttonElement = z.object({
  type: z.literal('button'),
  action_id: actionId,
  text: plainText(L.buttonText),
  value: z.string().max(L.buttonValue).optional(),
  style: z.enum(['primary', 'danger']).optional(),
});
export type ButtonElement = z.infer<typeof buttonElement>;

export const selectOption = z.object({
  text: plainText(L.optionText),
  value: z.string().min(1).max(L.optionValue),
});

export const staticSelectElement = z.object({
  type: z.literal('static_select'),
  action_id: actionId,
  placeholder: plainText(L.placeholder),
  options: z.array(selectOption).min(1).max(L.selectOptions),
});
export type StaticSelectElement = z.infer<typeof staticSelectElement>;

export const actionsBlock = z.object({
  type: z.literal('actions'),
  block_id: blockId,
  elements: z
    .array(z.union([buttonElement, staticSelectElement]))
    .min(1)
    .max(L.actionsElements),
});

export const block = z.union([headerBlock, sectionBlock, contextBlock, imageBlock, actionsBlock]);
export type Block = z.infer<typeof block>;
export type SectionBlock = z.infer<typeof sectionBlock>;
export type ContextBlock = z.infer<typeof contextBlock>;
export type ActionsBlock = z.infer<typeof actionsBlock>;

/** A whole rendered message: what `chat.postMessage` receives besides the channel. */
export const blockKitMessage = z
  .object({
    text: z.string().min(1).max(L.messageText),
    blocks: z.array(block).max(L.blocksPerMessage),
  })
  .superRefine((msg, ctx) => {
    const seen = new Set<string>();
    for (const b of msg.blocks) {
      if (seen.has(b.block_id)) ctx.addIssue({ code: 'custom', message: `duplicate block_id ${b.block_id}` });
      seen.add(b.block_id);
    }
  });
export type BlockKitMessage = z.infer<typeof blockKitMessage>;
