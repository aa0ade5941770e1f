import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

describe.runIf(hasChromium)('console page in headless Chromium', () => {
  let bot: TestBot<typeof systemClock>;
  let browser: Browser;
  beforeAll(async () => {
    bot = await startTestBot({}, systemClock);
    bot.delivery.start(); // the page sees what the real delivery loop posts
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
  });

  it('shows an alert POSTed to the webhook as a rendered card, and Acknowledge updates it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${bot.url}/`);
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(202);

    const card = page.locator('article[data-author="bot"] .ac-adaptiveCard').first();
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(() => card.innerText()).toContain('GPU 3 on node-7 is at 87');
    expect(await card.innerText()).toContain('P2 · FIRING');

    await page.locator('article[data-author="bot"] button', { hasText: 'Acknowledge' }).first().click();
    await expect.poll(() => card.innerText(), { timeout: 10_000 }).toContain('ACKNOWLEDGED');
    expect(await card.innerText()).toContain('by alice');
    await page.screenshot({ path: `${bot.dataDir}/console.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('sends a typed command as the chosen user and shows the answer', async () => {
    const page = await browser.newPage();
    await page.goto(`${bot.url}/`);
    await page.fill('#user', 'dave');
    await page.dispatchEvent('#user', 'change');
    await page.fill('#text', '/alerts');
    await page.press('#text', 'Enter');
    await expect
      .poll(() => page.locator('article[data-author="console:dave"]').count(), { timeout: 10_000 })
      .toBe(1);
    await expect
      .poll(() => page.locator('main').innerText(), { timeout: 10_000 })
      .toContain('1 open incident');
  });

  it('shows a hostile alert description literally: no script runs, no link is made, CSP is sent', async () => {
    const hostile =
      '[details](http://a.example/"style="position:fixed;inset:0"onmouseover="window.__pwned=1") ' +
      '<img src=x onerror="window.__pwned=2"> <script>window.__pwned=3</script> ' +
      '[Reset password](https://evil.example/reset) <at>alice</at> <!channel> javascript:alert(1)';
    const res = await fetch(`${bot.url}/`);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${bot.url}/`);
    const payload = fixture('am-gpu-temp-firing.json') as {
      alerts: { annotations: Record<string, string> }[];
    };
    for (const a of payload.alerts) a.annotations.description = hostile;
    payload.alerts[0]!.annotations.summary = 'XSS probe [Reset password](https://evil.example/reset)';
    expect((await bot.postAlert('alertmanager', payload)).status).toBe(202);
    const main = page.locator('main');
    await expect
      .poll(() => main.innerText(), { timeout: 10_000 })
      .toContain('[Reset password](https://evil.example/reset)');
    expect(await main.innerText()).toContain('<img src=x onerror="window.__pwned=2">');
    await page.mouse.move(200, 200);
    await page.mouse.move(400, 300);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(
      await page.locator('a[href*="evil.example"], a[href*="a.example"], a[href^="javascript:"]').count(),
    ).toBe(0);
    expect(await page.locator('main img[src="x"], main script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
