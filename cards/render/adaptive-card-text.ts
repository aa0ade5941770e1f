import { inlineRuns, type RichText, type TimeToken } from '../model.ts';

/**
 * Text for Adaptive Card TextBlocks and Facts, which Teams reads as markdown. Everything a card
 * says is text, never markup: a sender's `[Reset password](https://…)`, `**`, `<at>`, `&amp;` or
 * `{{DATE(…)}}` must show as typed. Markdown's own way to say "this character is literal" is a
 * backslash before ASCII punctuation (CommonMark; Teams honours it), so every character that can
 * start markup is escaped, including `.`, `:` and `/`, so a bare URL is not auto-linked either.
 */

/** ASCII punctuation that can take part in markdown, links, entities, mentions or DATE/TIME. */
const MARKUP = /[\\`*_{}[\]()<>#+\-.!|~&:=$^/]/g;

/**
 * Escapes `raw` so a markdown renderer shows it literally. Leading spaces become no-break spaces,
 * so an indented line is not taken for a code block (where escapes would show).
 */
export function escapeAcMarkdown(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(MARKUP, (c) => `\\${c}`)
    .replace(/^[ \t]+/gm, (ws) => ws.replace(/ /g, '\u00a0').replace(/\t/g, '\u00a0'.repeat(4)));
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
