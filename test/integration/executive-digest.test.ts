import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';

const HOUR = 3_600_000;

describe('the scheduled digests (executive hourly, capacity daily)', () => {
  let bot: TestBot;
  // Mid-hour, so the slot boundary is crossed by moving the clock, never by waiting.
  const clock = new ManualClock(Date.parse('2026-11-28T09:20:00Z'));
  // The digest channel is its own console channel, not the on-call one the page shows.
  const digests = async () =>
    (await bot.store.consoleMessages.list('exec-digest', 50)).filter((m) =>
      m.text.includes('Executive status'),
    );

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'executive-digest-'));
    writeFileSync(join(dir, 'policy.yaml'), 'views: { digest: { channel: exec-digest, every: 1h } }\n');
    bot = await startTestBot({ POLICY_FILE: join(dir, 'policy.yaml') }, clock, { localPlatform: true });
  }, 120_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it('posts the executive view once per hour, however often the bot ticks', async () => {
    await bot.tick();
    await bot.flush();
    expect(await digests()).toHaveLength(1);
    await bot.tick();
    clock.advance(30 * 60_000); // 09:50, same slot
    await bot.tick();
    await bot.flush();
    expect(await digests()).toHaveLength(1);
    clock.advance(HOUR); // 10:50, the next slot
    await bot.tick();
    await bot.flush();
    const posted = await digests();
    expect(posted).toHaveLength(2);
    expect(JSON.stringify(posted[1]!.card)).toMatch(/Spend today/);
    // Nothing of it lands in the on-call channel.
    expect((await bot.consoleMessages()).some((m) => m.text.includes('Executive status'))).toBe(false);
    expect(bot.logs.filter((l) => l.includes('"EXECUTIVE_DIGEST_POSTED"'))).toHaveLength(2);
  }, 120_000);

  it('posts the capacity view once per day to the same channel', async () => {
    const capacity = async () =>
      (await bot.store.consoleMessages.list('exec-digest', 50)).filter((m) => m.text.includes('Capacity'));
    // The first tick (28 Nov) posted that day's; the hours since are the same day.
    expect(await capacity()).toHaveLength(1);
    clock.advance(24 * HOUR); // 29 Nov
    await bot.tick();
    await bot.tick();
    await bot.flush();
    const posted = await capacity();
    expect(posted).toHaveLength(2);
    expect(JSON.stringify(posted[1]!.card)).toContain('Projected requests per day');
    expect(bot.logs.filter((l) => l.includes('"CAPACITY_DIGEST_POSTED"'))).toHaveLength(2);
  }, 120_000);
});
