import { inlineRuns, plainText, type RichText, type TimeToken } from '../../../core/message.ts';

/**
 * Text helpers for Slack: mrkdwn escaping and truncation that always says how much it left out.
 * Lengths are measured after escaping, because that is what Slack counts against its limits.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes the three characters Slack treats as mrkdwn control characters. They are enough to make
 * sender text inert: every Slack link, mention and command (`<http://…|x>`, `<@U…>`, `<!channel>`,
 * `<!date…>`) needs a literal `<`, and entities need `&`.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

function escapedLength(ch: string): number {
  return ESCAPES[ch]?.length ?? ch.length;
}

/** The note appended when text was cut; kept short so it fits next to the kept text. */
export function truncationNote(omittedChars: number): string {
  return `… truncated ${omittedChars} chars`;
}

/**
 * Longest prefix of `raw` (whole code points) whose escaped length is at most `max`.
 * Returns the raw prefix so callers can count what was left out in the user's own characters.
 */
export function takeEscapedPrefix(raw: string, max: number): string {
  let used = 0;
  let end = 0;
  for (const ch of raw) {
    const len = escapedLength(ch);
    if (used + len > max) break;
    used += len;
    end += ch.length;
  }
  return raw.slice(0, end);
}

/**
 * Escapes `raw` for mrkdwn and fits it into `max` characters; when it does not fit, the kept part
 * is followed by `separator` and a note saying how many characters were dropped.
 */
export function fitMrkdwn(raw: string, max: number, separator = '\n'): string {
  // Escaping never shortens text, so a long input is cut without escaping all of it first.
  if (raw.length <= max) {
    const escaped = escapeMrkdwn(raw);
    if (escaped.length <= max) return escaped;
  }
  const worstNote = separator + truncationNote(raw.length);
  const kept = takeEscapedPrefix(raw, Math.max(0, max - worstNote.length));
  return escapeMrkdwn(kept) + separator + truncationNote(raw.length - kept.length);
}

/** Fits plain text (no escaping in Slack's plain_text objects) with a trailing ellipsis. */
export function fitPlain(raw: string, max: number): string {
  if (raw.length <= max) return raw;
  let out = '';
  for (const ch of raw) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * Makes text safe inside a ``` code block: a triple backtick in the content would end the block
 * early, so a zero-width space is put between the backticks.
 */
export function defuseCodeFence(text: string): string {
  return text.replace(/```/g, '`\u200b`\u200b`');
}

/** Plain-text width of a string in code points (what a monospace column counts). */
export function displayWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts text to `width` code points, marking the cut with an ellipsis. */
export function clipToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  return `${Array.from(text)
    .slice(0, Math.max(0, width - 1))
    .join('')}…`;
}

const SLACK_DATE_FORMAT: Record<TimeToken['style'], string> = {
  date: '{date_short_pretty}',
  time: '{time}',
  datetime: '{date_short_pretty} {time}',
};

/** `<!date^epoch^format|fallback>`: Slack shows the time in each reader's own zone. */
export function slackDateToken(t: TimeToken): string {
  return `<!date^${Math.floor(t.at / 1000)}^${SLACK_DATE_FORMAT[t.style]}|${escapeMrkdwn(t.fallback).replace(/\|/g, '/')}>`;
}

/** Rich text as mrkdwn: plain runs escaped, times as client-rendered date tokens. */
export function richMrkdwn(text: RichText): string {
  return inlineRuns(text)
    .map((part) => (typeof part === 'string' ? escapeMrkdwn(part) : slackDateToken(part)))
    .join('');
}

/**
 * Like {@link fitMrkdwn} for rich text: whole when it fits; otherwise cut as plain text, with each
 * time as its fallback (a date token cannot be cut in half).
 */
export function fitRich(text: RichText, max: number, separator = '\n'): string {
  if (typeof text === 'string') return fitMrkdwn(text, max, separator);
  const whole = richMrkdwn(text);
  return whole.length <= max ? whole : fitMrkdwn(plainText(text), max, separator);
}
