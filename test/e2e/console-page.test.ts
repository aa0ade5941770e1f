import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../bot/clock.ts';
import { requireBinary } from '../helpers/require-binary.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = requireBinary(CHROMIUM, 'apt-get install -y chromium');

describe.runIf(hasChromium)('console page in headless Chromium', () => {
  let bot: TestBot<typeof systemClock>;
  let browser: Browser;
  beforeAll(async () => {
    bot = await startTestBot({}, systemClock);
    bot.delivery.start(); // the page sees what the real delivery loop posts
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
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
});
