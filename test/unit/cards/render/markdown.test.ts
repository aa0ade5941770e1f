import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { markdownText, sectionsToMarkdown } from '../../../../cards/render/markdown.ts';
import { HOSTILE } from '../../../fixtures/hostile-text.ts';

// markdown-it ships no types; only render(text) is used here.
const MarkdownIt = createRequire(import.meta.url)('markdown-it') as (opts: object) => {
  render(src: string): string;
};
/** CommonMark with raw HTML and bare-URL linking on: the most a Markdown viewer might do. */
const md = MarkdownIt({ linkify: true, html: true });

const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

describe('Markdown for postmortems: what people and senders wrote reads as their words', () => {
  it.each(HOSTILE)('%s renders as exactly that text, with no link, tag or heading', (s) => {
    const html = md.render(markdownText(s)).trim();
    expect(html).not.toMatch(/<a |<script|<at>|<h\d|<ul|<strong|<em/);
    expect(html).toBe(`<p>${escapeHtml(s)}</p>`);
  });

  it('folds line breaks, so a newline cannot start a heading or a list', () => {
    expect(md.render(markdownText('fine\n# heading\n- item')).trim()).toBe('<p>fine # heading - item</p>');
  });

  it('renders table cells with hostile text as text, one row each', () => {
    const lines = sectionsToMarkdown([
      { kind: 'table', columns: ['a|b', 'c'], rows: [['x | y', '[l](https://evil.example)']], more: 0 },
    ]);
    const html = md.render(lines.join('\n'));
    expect(html).toContain('<th>a|b</th>');
    expect(html).toContain('<td>x | y</td>');
    expect(html).not.toContain('<a ');
  });
});
