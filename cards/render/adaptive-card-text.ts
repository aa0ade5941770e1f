import { inlineRuns, type RichText, type TimeToken } from '../../core/message.ts';

/**
 * Text for Adaptive Card TextBlocks and Facts, which Teams reads as markdown. Everything a card
 * says is text, never markup: a sender's `[Reset password](https://…)`, `**`, `<at>`, `&amp;` or
 * `{{DATE(…)}}` must show as typed. Markdown's own way to say "this character is literal" is a
 * backslash before ASCII punctuation (CommonMark; Teams honours it). Only characters that can
 * start markup where they stand are escaped, so names such as `node-7`, `09:00` or `GB/s` stay
 * readable in the card's JSON and in clients that show it raw.
 */

/** Punctuation that opens markup wherever it stands: emphasis, code, links, HTML, entities, DATE(). */
const ALWAYS = /[\\`*{}[\]<>~&]/g;
/** `_` inside a word (`mlx5_0`, `gpu_util`) never opens emphasis in CommonMark; elsewhere it can. */
const UNDERSCORE = /(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;
/** At the start of a line: headings, block quotes (`>` is in ALWAYS) and list items. */
const LINE_START = /^([\u00a0]*)(#{1,6}(?=\s|$)|[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))/gm;
/** Autolinks: `scheme://`, `www.` and `user@host` become links in GFM-style renderers. */
const AUTOLINK_SCHEME = /:(?=\/\/)/g;
const AUTOLINK_WWW = /\b(www)\./gi;
const AUTOLINK_EMAIL = /(?<=[\w.+-])@(?=[\w-])/g;

/**
 * Escapes `raw` so a markdown renderer shows it literally. Leading spaces become no-break spaces,
 * so an indented line is not taken for a code block (where escapes would show).
 */
export function escapeAcMarkdown(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/^[ \t]+/gm, (ws) => ws.replace(/ /g, '\u00a0').replace(/\t/g, '\u00a0'.repeat(4)))
    .replace(ALWAYS, (c) => `\\${c}`)
    .replace(UNDERSCORE, '\\_')
    .replace(LINE_START, (_m, lead: string, marker: string) =>
      /^\d/.test(marker) ? `${lead}${marker}\\` : `${lead}\\${marker}`,
    )
    .replace(AUTOLINK_SCHEME, '\\:')
    .replace(AUTOLINK_WWW, '$1\\.')
    .replace(AUTOLINK_EMAIL, '\\@');
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `{{DATE(…)}}`/`{{TIME(…)}}`: the client shows the time in the reader's zone and locale. */
export function acTimeFunction(t: TimeToken): string {
  const iso = isoSeconds(t.at);
  switch (t.style) {
    case 'date':
      return `{{DATE(${iso}, SHORT)}}`;
    case 'time':
      return `{{TIME(${iso})}}`;
    case 'datetime':
      return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
  }
}

/** Rich text as TextBlock/Fact text: plain runs escaped, times as client-rendered functions. */
export function acText(text: RichText): string {
  return inlineRuns(text)
    .map((part) => (typeof part === 'string' ? escapeAcMarkdown(part) : acTimeFunction(part)))
    .join('');
}
