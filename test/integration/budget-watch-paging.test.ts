import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { type ConsoleApiMessage, startTestBot, type TestBot } from '../helpers/test-bot.ts';
import { type PagerDutyServer, startPagerDutyServer } from '../servers/pagerduty.ts';

const ROUTING_KEY = 'R0123456789ABCDEF0123456789ABCDE';
const MINUTE = 60_000;

// At 09:00 UTC the simulated platform has spent about 1,000 USD today: five times this budget.
const POLICY = `
cost:
  teams: { inference: search, ml-train: research, ml: support }
  budgets:
    - { name: platform-daily, period: daily, amount: 200 }
detectors:
  firstRunAfter: 1m
  rules:
    silent-outage: { enabled: false }
    model-drift: { enabled: false }
    stale-pipeline: { enabled: false }
    abuse-spike: { enabled: false }
`;

describe('the bot watches its own budget (real bot, local mode, PagerDuty on a local server)', () => {
  let bot: TestBot;
  let pd: PagerDutyServer;
  const clock = new ManualClock(Date.parse('2026-11-28T09:00:00Z'));
  const cardOf = async (what: RegExp): Promise<ConsoleApiMessage | undefined> =>
    (await bot.consoleMessages()).find((m) => m.card && what.test(JSON.stringify(m.card)));
  const actions = () => pd.accepted().map((e) => e.event_action);

  beforeAll(async () => {
    pd = await startPagerDutyServer();
    const dir = mkdtempSync(join(tmpdir(), 'budget-policy-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    bot = await startTestBot(
      {
        POLICY_FILE: join(dir, 'policy.yaml'),
        PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
        PAGERDUTY_EVENTS_URL: pd.url,
      },
      clock,
      { localPlatform: true },
    );
  }, 120_000);
  afterAll(async () => {
    await bot?.stop();
    await pd?.close();
  });

  /** Ticks until the detector run it started has delivered, and paging has had its turn. */
  async function runDetectors(until: () => Promise<void>) {
    await bot.tick();
    await vi.waitFor(
      async () => {
        await bot.flush();
        await bot.tick();
        await bot.flush();
        await until();
      },
      { timeout: 60_000, interval: 250 },
    );
  }

  it('spend five times the daily budget opens a P1 cost runaway with who is spending, and pages', async () => {
    clock.advance(MINUTE + 1_000);
    const started = performance.now();
    await runDetectors(async () => {
      expect(await cardOf(/Cost runaway: platform-daily/)).toBeDefined();
      expect(actions()).toContain('trigger');
    });
    const card = JSON.stringify((await cardOf(/Cost runaway: platform-daily/))!.card);
    expect(card).toMatch(/P1/);
    expect(card).toContain('platform-daily (daily, all spend)');
    expect(card).toContain('200.00 USD');
    expect(card).toMatch(/Top teams.{0,40}support \d/);
    expect(card).toContain('120.0 % of the budget, spent (P1)');
    const trigger = pd.accepted().find((e) => e.event_action === 'trigger')!;
    const payload = trigger.payload as {
      severity: string;
      summary: string;
      custom_details: { tier: string };
    };
    expect(payload.severity).toBe('critical');
    expect(payload.custom_details.tier).toBe('P1');
    expect(payload.summary).toContain('Cost runaway: platform-daily');
    // The on-call acknowledges (else the page escalates while the clock moves to the next day).
    const id = /INC-\d+/.exec(card)![0];
    await bot.say(`/ack ${id}`, 'bob');
    await runDetectors(async () => {
      expect(actions()).toEqual(['trigger', 'acknowledge']);
    });
    console.log(`budget watch: first run to page ${Math.round(performance.now() - started)} ms`);
  }, 120_000);

  it('a new UTC day starts from nothing: two clear runs resolve the incident, and the page', async () => {
    clock.set(Date.parse('2026-11-29T00:05:00Z'));
    await runDetectors(async () => {
      expect(
        bot.logs.some((l) => l.includes('"detector":"budget-watch"') && l.includes('"outcome":"clear"')),
      ).toBe(true);
    });
    expect(actions()).not.toContain('resolve');
    clock.advance(15 * MINUTE + 1_000);
    await runDetectors(async () => {
      expect(actions()).toEqual(['trigger', 'acknowledge', 'resolve']);
    });
    expect(JSON.stringify((await cardOf(/Cost runaway: platform-daily/))!.card)).toMatch(/[Rr]esolved/);
  }, 180_000);
});
