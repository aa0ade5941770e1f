import { z } from 'zod';

/**
 * The platform-neutral message. Templates build it; renderers turn it into an Adaptive Card or
 * Block Kit blocks; nothing else knows about either platform's format.
 */

export const messageStatus = z.enum([
  'firing',
  'acknowledged',
  'silenced',
  'flapping',
  'resolved',
  'info',
  'success',
  'warning',
  'error',
  'pending',
]);
export type MessageStatus = z.infer<typeof messageStatus>;

export const messageTier = z.enum(['P1', 'P2', 'P3']);

/**
 * A moment in time that the reader's client shows in the reader's own time zone and locale
 * (Adaptive Cards `{{DATE()}}`/`{{TIME()}}`, Slack `<!date^…>`), so a posted card never carries a
 * server-computed "14m ago" that freezes. `fallback` is what plain-text surfaces show instead.
 */
/** A document the bot serves for download (a postmortem draft): its file name and type. */
export const downloadFile = z.object({ name: z.string().min(1).max(255), type: z.enum(['text/markdown']) });
export type DownloadFile = z.infer<typeof downloadFile>;

export const timeToken = z.object({
  kind: z.literal('time'),
  /** Epoch milliseconds. */
  at: z.number().int().min(0).max(253_402_300_799_000),
  style: z.enum(['date', 'time', 'datetime']).default('datetime'),
  fallback: z.string().min(1),
});
export type TimeToken = z.infer<typeof timeToken>;

/** One run of text: plain text (shown literally, never as markup) or a client-rendered time. */
export const inline = z.union([z.string(), timeToken]);
export type Inline = z.infer<typeof inline>;

/** Text as it appears on a card: a plain string, a time, or runs of text and times. */
export const richText = z.union([z.string(), timeToken, z.array(inline)]);
export type RichText = z.infer<typeof richText>;

/** The text with every time as its fallback: for notifications and plain-text surfaces. */
export function plainText(text: RichText): string {
  return inlineRuns(text)
    .map((part) => (typeof part === 'string' ? part : part.fallback))
    .join('');
}

/** Rich text as a list of runs, whichever form it was written in. */
export function inlineRuns(text: RichText): Inline[] {
  if (typeof text === 'string') return [text];
  return Array.isArray(text) ? text : [text];
}

/** Links on cards are only ever http(s): no `javascript:`, `data:` or other schemes. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const header = z.object({
  title: z.string().min(1),
  tier: messageTier.optional(),
  status: messageStatus.optional(),
  /** One short line under the title: ids, times, who did what. */
  subtitle: richText.optional(),
});

export const fact = z.tuple([z.string(), richText]);
export type Fact = z.infer<typeof fact>;

/** Emphasis of a cell or a notice; renderers map it to platform colours. */
export const tone = z.enum(['default', 'good', 'warning', 'attention', 'accent']);
export type Tone = z.infer<typeof tone>;

export const tableCell = z.union([richText, z.object({ text: richText, tone })]);
export type TableCell = z.infer<typeof tableCell>;

/** A cell's text and tone, whichever form it was written in. */
export function cellParts(cell: TableCell | undefined): { text: RichText; tone: Tone } {
  if (cell === undefined) return { text: '', tone: 'default' };
  if (typeof cell === 'object' && !Array.isArray(cell) && 'tone' in cell) return cell;
  return { text: cell, tone: 'default' };
}

export const section = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: richText,
    /** `heading` shows the text bold, as a sub-heading; renderers never read markup in text. */
    style: z.literal('heading').optional(),
  }),
  z.object({ kind: z.literal('facts'), title: z.string().optional(), facts: z.array(fact) }),
  z.object({
    kind: z.literal('table'),
    title: z.string().optional(),
    columns: z.array(z.string()).min(1),
    rows: z.array(z.array(tableCell)),
    /** Rows left out of `rows`; renderers say "N more". */
    more: z.number().int().nonnegative().default(0),
  }),
  z.object({
    kind: z.literal('image'),
    url: httpUrl,
    alt: z.string().min(1),
    title: z.string().optional(),
  }),
  z.object({
    kind: z.literal('code'),
    title: z.string(),
    code: z.string(),
    collapsed: z.boolean().default(true),
  }),
  z.object({ kind: z.literal('notice'), text: richText, tone }),
  z.object({
    kind: z.literal('links'),
    links: z.array(
      z.object({
        title: z.string(),
        url: httpUrl,
        /** Set only by the bot on its own signed downloads: surfaces that can also send the file into the thread. */
        file: downloadFile.optional(),
      }),
    ),
  }),
]);
export type Section = z.infer<typeof section>;

/** A choice the user makes before pressing the action's button (e.g. silence duration). */
export const actionInput = z.object({
  id: z.string().regex(/^[a-zA-Z][\w-]*$/),
  label: z.string(),
  choices: z.array(z.object({ title: z.string(), value: z.string() })).min(1),
  value: z.string(),
});

export const action = z.object({
  /** Handler verb; the button-press event carries it back. */
  verb: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1).max(75),
  style: z.enum(['default', 'positive', 'destructive']).default('default'),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  input: actionInput.optional(),
});
export type MessageAction = z.infer<typeof action>;

export const message = z.object({
  header: header.optional(),
  facts: z.array(fact).default([]),
  sections: z.array(section).default([]),
  actions: z.array(action).default([]),
});
export type Message = z.infer<typeof message>;
/** What templates may write: defaults filled in by {@link buildMessage}. */
export type MessageInput = z.input<typeof message>;

/** Validates a template's output once, so renderers can trust every field. */
export function buildMessage(input: MessageInput): Message {
  return message.parse(input);
}

/** Plain-text summary used as the notification/fallback text on every platform. */
export function summarizeMessage(msg: Message): string {
  const parts: string[] = [];
  if (msg.header) {
    const badge = [msg.header.tier, msg.header.status?.toUpperCase()].filter(Boolean).join(' ');
    parts.push(badge ? `[${badge}] ${msg.header.title}` : msg.header.title);
  } else {
    const firstText = msg.sections.find((s) => s.kind === 'text' || s.kind === 'notice');
    if (firstText && 'text' in firstText) parts.push(plainText(firstText.text).split('\n')[0] ?? '');
  }
  return parts.join(' ').slice(0, 300) || 'Message from the on-call bot';
}
