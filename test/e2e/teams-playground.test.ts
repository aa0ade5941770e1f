import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

const PLAYGROUND_CLI = fileURLToPath(
  new URL('../../node_modules/@microsoft/m365agentsplayground/cli.js', import.meta.url),
);
/** The playground's personal chat gets this id; the first test makes it the on-call conversation. */
const CONVERSATION = 'a:oncall-playground';

/**
 * Starts the Microsoft 365 Agents Playground (offline, no browser of its own, no telemetry) in
 * front of the bot. Port 0 is not accepted, so it is asked for an unlikely port and falls back to
 * a free one by itself; the port it listens on is read from its output.
 */
async function startPlayground(
  botUrl: string,
  conversationId: string,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      PLAYGROUND_CLI,
      '--disable-telemetry',
      '-p',
      String(40_000 + (process.pid % 20_000)),
      '-c',
      'msteams',
      '--conversation-id',
      conversationId,
    ],
    {
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', BOT_ENDPOINT: `${botUrl}/api/messages` },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  child.stderr!.on('data', (d) => output.push(String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`playground did not start: ${output.join('')}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`playground exited with ${code}: ${output.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const m = /Listening on (\d+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve(Number(m[1]));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** The on-call conversation the bot stored from the playground's installationUpdate. */
async function storedOncall(bot: TestBot<typeof systemClock>): Promise<string | null> {
  return (await bot.store.conversations.getOncall('teams')) ?? null;
}

async function type(page: Page, text: string): Promise<void> {
  const editor = page.locator('[data-lexical-editor="true"]').last();
  await editor.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

describe.runIf(hasChromium)('Teams through the Microsoft 365 Agents Playground in headless Chromium', () => {
  let browser: Browser;
  const running: { bot: TestBot<typeof systemClock>; playground?: { child: ChildProcess } }[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  }, 20_000);
  afterAll(async () => {
    await browser?.close();
    for (const { bot, playground } of running) {
      if (playground && playground.child.exitCode === null) {
        const exited = once(playground.child, 'exit');
        playground.child.kill();
        await exited;
      }
      await bot.stop();
    }
  });

  /** The bot (real delivery loop) behind a playground, and a page showing the playground. */
  async function open(env: Record<string, string>) {
    const bot = await startTestBot(env, systemClock);
    const entry: (typeof running)[number] = { bot };
    running.push(entry);
    bot.delivery.start();
    const playground = await startPlayground(bot.url, CONVERSATION);
    entry.playground = playground;
    const page = await browser.newPage();
    await page.goto(playground.url);
    return { bot, page };
  }

  /** Posts the GPU alert, waits for its card, presses Acknowledge and checks both updates. */
  async function acknowledgeAlertCard(bot: TestBot<typeof systemClock>, page: Page): Promise<void> {
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(202);
    const card = page.locator('.ac-adaptiveCard', { hasText: 'GPU 3 on node-7 is at 87' }).first();
    await card.waitFor({ timeout: 10_000 });
    expect(await card.innerText()).toContain('P2 · FIRING');

    // With delivery paused, only the invoke response (the re-rendered card) can change the card.
    await bot.delivery.stop();
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => card.innerText(), { timeout: 10_000 }).toContain('P2 · ACKNOWLEDGED');
    expect(await card.innerText()).toContain('by Alex Wilber');
    expect(await card.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);

    // The outbox then updates the posted card for everyone and says who acknowledged it.
    bot.delivery.start();
    await expect
      .poll(() => page.locator('.ac-adaptiveCard', { hasText: 'acknowledged by Alex Wilber' }).count(), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    expect(bot.logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
    await page.screenshot({ path: join(bot.dataDir, 'teams-playground.png'), fullPage: true });
  }

  it('personal chat: a typed command gets a card; an alert card updates when Acknowledge is pressed', async () => {
    const { bot, page } = await open({ TEAMS_CHANNEL: CONVERSATION });
    // The playground installs the app on connect; the bot keeps that chat as its on-call place.
    await expect.poll(() => storedOncall(bot), { timeout: 10_000 }).toBe(CONVERSATION);

    await type(page, 'help');
    await page
      .locator('.ac-adaptiveCard', { hasText: 'On-call bot commands' })
      .first()
      .waitFor({ timeout: 10_000 });
    await acknowledgeAlertCard(bot, page);
  }, 30_000);

  it('team channel: the alert card starts a new thread in the channel the app was installed in', async () => {
    const { bot, page } = await open({});
    // Without TEAMS_CHANNEL, the first team channel the bot hears from becomes the on-call channel;
    // the playground introduces the bot to a channel when the channel is opened.
    await page.getByText('General', { exact: true }).first().click();
    await expect.poll(() => storedOncall(bot), { timeout: 10_000 }).not.toBeNull();
    expect(await storedOncall(bot)).not.toBe(CONVERSATION);
    await acknowledgeAlertCard(bot, page);
  }, 30_000);
});
