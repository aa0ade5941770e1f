import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../../../cards/render/adaptive-card.ts';
import type { Block } from '../../../../cards/render/block-kit/schema.ts';
import { toBlockKit } from '../../../../cards/render/block-kit.ts';
import { buildMessage, httpUrl, type Message, message } from '../../../../core/message.ts';
import { HOSTILE } from '../../../fixtures/hostile-text.ts';

// markdown-it ships no types; only its render(text) is used here.
const MarkdownIt = createRequire(import.meta.url)('markdown-it') as (opts: object) => {
  render(src: string): string;
};
/** CommonMark with auto-linking of bare URLs, as Teams does. */
const md = MarkdownIt({ linkify: true, html: true });

/** One card with the hostile text in every place sender text goes: title, labels, description, table. */
function hostileMessage(s: string): Message {
  return buildMessage({
    header: { title: s, tier: 'P1', status: 'firing', subtitle: s },
    facts: [
      [s, s],
      ['Label', s],
    ],
    sections: [
      { kind: 'text', text: s },
      { kind: 'text', text: s, style: 'heading' },
      { kind: 'facts', title: s, facts: [[`annotation ${s}`, s]] },
      { kind: 'table', title: s, columns: [s, 'b'], rows: [[s, { text: s, tone: 'attention' }]] },
      { kind: 'notice', text: s, tone: 'warning' },
    ],
  });
}

type Json = unknown;
function walk(node: Json, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const n of node) walk(n, visit);
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    for (const v of Object.values(node)) walk(v, visit);
  }
}

/** Every string Teams reads as markdown: TextBlock text and Fact title/value. */
function acMarkdownStrings(card: Json): string[] {
  const out: string[] = [];
  walk(card, (o) => {
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (o.type === 'FactSet' && Array.isArray(o.facts))
      for (const f of o.facts as { title: string; value: string }[]) out.push(f.title, f.value);
    if (o.type === 'TextRun' && typeof o.text === 'string') out.push(o.text);
  });
  return out;
}

/** Every mrkdwn text object in the blocks. */
function mrkdwnObjects(blocks: readonly Block[]): { type: 'mrkdwn'; text: string; verbatim?: boolean }[] {
  const out: { type: 'mrkdwn'; text: string; verbatim?: boolean }[] = [];
  walk(blocks, (o) => {
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o as never);
  });
  return out;
}

describe('hostile sender text on Adaptive Cards', () => {
  it.each(HOSTILE)('%s renders as literal text, never a link, emphasis, heading, list or HTML', (s) => {
    const card = toAdaptiveCard(hostileMessage(s));
    const texts = acMarkdownStrings(card);
    expect(texts.length).toBeGreaterThan(5);
    for (const t of texts) {
      const html = md.render(t);
      expect(html, t).not.toMatch(/<(a|strong|em|h\d|li|ul|ol|script|img|at|pre|code)\b/i);
      // No DATE/TIME function survives from sender text: the braces are escaped.
      expect(t).not.toContain('{{DATE(2026');
    }
    // The text is still there, readable: markdown-it's output, entities decoded, contains it.
    const shown = texts
      .map((t) => md.render(t).replace(/<[^>]+>/g, ''))
      .join('\n')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    expect(shown).toContain(s);
    // No action or image points at sender text.
    walk(card, (o) => {
      if (typeof o.url === 'string') expect(o.url).not.toContain('evil');
    });
  });
});

describe('hostile sender text on Slack Block Kit', () => {
  it.each(HOSTILE)('%s is escaped in every mrkdwn object and cannot auto-link', (s) => {
    const out = toBlockKit(hostileMessage(s));
    const objs = mrkdwnObjects(out.blocks);
    expect(objs.length).toBeGreaterThan(3);
    for (const o of objs) {
      // Slack's links, mentions and commands all start with "<": none survive from sender text.
      expect(o.text).not.toMatch(/<[!@#]|<https?:|<mailto:/);
      expect(o.text).not.toMatch(/<(?!!date\^)/);
      // A bare "&" would start an entity; every one is escaped.
      expect(o.text).not.toMatch(/&(?!amp;|lt;|gt;)/);
      // Without verbatim Slack turns bare URLs and #channel names into links.
      expect(o.verbatim, o.text).toBe(true);
    }
    expect(out.text).not.toMatch(/[<>]/);
  });
});

describe('URL fields of the card model', () => {
  const bad = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
  ];
  const good = ['https://grafana.example/d/x?var=1', 'http://127.0.0.1:3000/x'];

  it.each(bad)('refuses %s for links, images and the field is named', (url) => {
    expect(httpUrl.safeParse(url).success).toBe(false);
    const links = message.safeParse({ sections: [{ kind: 'links', links: [{ title: 'x', url }] }] });
    expect(links.success).toBe(false);
    expect(links.error?.issues[0]?.path).toEqual(['sections', 0, 'links', 0, 'url']);
    const image = message.safeParse({ sections: [{ kind: 'image', url, alt: 'chart' }] });
    expect(image.success).toBe(false);
    expect(image.error?.issues[0]?.path).toEqual(['sections', 0, 'url']);
  });

  it.each(good)('accepts %s', (url) => {
    expect(message.safeParse({ sections: [{ kind: 'links', links: [{ title: 'x', url }] }] }).success).toBe(
      true,
    );
    expect(message.safeParse({ sections: [{ kind: 'image', url, alt: 'chart' }] }).success).toBe(true);
  });
});
