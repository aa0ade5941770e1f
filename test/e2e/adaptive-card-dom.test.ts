import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../cards/render/adaptive-card.ts';
import { buildMessage, type Message } from '../../core/message.ts';
import { HOSTILE } from '../fixtures/hostile-text.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';

const read = (rel: string) =>
  readFileSync(fileURLToPath(new URL(`../../node_modules/${rel}`, import.meta.url)), 'utf8');

/** A card with hostile text everywhere sender text goes, plus one real link the bot itself adds. */
function hostileCard(s: string): Message {
  return buildMessage({
    header: {
      title: s,
      tier: 'P1',
      status: 'firing',
      subtitle: [
        s,
        ' · since ',
        { kind: 'time', at: Date.UTC(2026, 11, 7, 9, 2), style: 'time', fallback: '09:02 UTC' },
      ],
    },
    facts: [[s, s]],
    sections: [
      { kind: 'text', text: s },
      { kind: 'facts', title: s, facts: [[`annotation ${s}`, s]] },
      { kind: 'table', title: s, columns: [s, 'b'], rows: [[s, { text: s, tone: 'attention' }]] },
      { kind: 'notice', text: s, tone: 'warning' },
      { kind: 'links', links: [{ title: s, url: 'https://grafana.example/d/gpu' }] },
    ],
  });
}

/**
 * Renders each card with the real adaptivecards 3.0.6 bundle in Chromium, its markdown hook wired
 * to markdown-it (CommonMark, bare-URL linking, raw HTML allowed: stricter than Teams) the way a
 * host such as Teams hooks in its own markdown, and reports what the DOM holds.
 */
async function renderInBrowser(page: Page, card: object) {
  return page.evaluate((json) => {
    // The project compiles without the DOM lib, so the few browser shapes used are spelled out.
    type El = {
      querySelectorAll(sel: string): ArrayLike<{ getAttribute(name: string): string | null }>;
      innerText: string;
      replaceChildren(): void;
      appendChild(child: El): void;
    };
    const w = globalThis as unknown as {
      document: { getElementById(id: string): El | null };
      AdaptiveCards: {
        AdaptiveCard: {
          new (): { parse(j: object): void; render(): El | undefined };
          onProcessMarkdown: (text: string, result: { outputHtml?: string; didProcess: boolean }) => void;
        };
      };
      markdownit: (o: object) => { render(s: string): string };
    };
    const md = w.markdownit({ html: true, linkify: true });
    w.AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
      result.outputHtml = md.render(text);
      result.didProcess = true;
    };
    const root = w.document.getElementById('root')!;
    root.replaceChildren();
    const ac = new w.AdaptiveCards.AdaptiveCard();
    ac.parse(json);
    const el = ac.render();
    if (el) root.appendChild(el);
    return {
      anchors: Array.from(root.querySelectorAll('a')).map((a) => a.getAttribute('href')),
      injected: root.querySelectorAll(
        'script, img, iframe, strong, em, h1, h2, li, at, [onmouseover], [style*="fixed"]',
      ).length,
      text: root.innerText,
    };
  }, card);
}

describe.runIf(hasChromium)('Adaptive Card with hostile text rendered by adaptivecards in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body><div id="root"></div></body></html>');
    await page.addScriptTag({ content: read('adaptivecards/dist/adaptivecards.js') });
    await page.addScriptTag({ content: read('markdown-it/dist/markdown-it.min.js') });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each(HOSTILE)('%s shows as text: no link, script, image or emphasis from it', async (s) => {
    const dom = await renderInBrowser(page, toAdaptiveCard(hostileCard(s)));
    // Only the bot's own link exists (a button, not an anchor, or an anchor to it).
    for (const href of dom.anchors) expect(href ?? '').not.toMatch(/evil|a\.example|javascript:/);
    expect(dom.injected).toBe(0);
    // innerText collapses whitespace runs; the sender's text is shown as typed.
    expect(dom.text.replace(/\s+/g, ' ')).toContain(s.replace(/\s+/g, ' '));
    // The time is rendered by the client, not left as a function or as sender text.
    expect(dom.text).not.toContain('{{TIME(');
  });
});
