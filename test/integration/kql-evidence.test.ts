import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { openSqliteEvidenceRepo } from '../../store/evidence/sqlite-evidence-repo.ts';
import { throttleAlert } from '../helpers/alerts.ts';
import { cardTables } from '../helpers/card-tables.ts';
import { type ConsoleApiMessage, startTestBot, type TestBot } from '../helpers/test-bot.ts';

describe('incident cards gain vetted-query evidence (real bot, local mode)', () => {
  let bot: TestBot;
  const clock = new ManualClock();

  /** The incident card whose text (title, description, facts) matches `what`. */
  const cardOf = async (what: RegExp): Promise<ConsoleApiMessage | undefined> =>
    (await bot.consoleMessages()).find(
      (m) => m.card && !warmUp.has(m.id) && what.test(JSON.stringify(m.card)),
    );
  /** The messages of the warm-up query, which are not incident cards. */
  let warmUp = new Set<string>();

  beforeAll(async () => {
    bot = await startTestBot({}, clock, { localPlatform: true });
    // The telemetry worker builds 7 days of rows on its first query; build them before the alert
    // so the evidence's 10 s budget is spent on the query, not on a loaded machine's start-up.
    await bot.say('/kql throttle-rate');
    warmUp = new Set((await bot.consoleMessages()).map((m) => m.id));
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it('posts the 429 card at once, then updates it with the throttle rate of that deployment', async () => {
    const res = await bot.postAlert('azure-monitor', throttleAlert('gpt-4o', '1', clock.now()));
    expect(res.status).toBeLessThan(300);
    await bot.flush();
    const first = await cardOf(/429/);
    expect(first, 'the card is posted without waiting for evidence').toBeDefined();
    expect(JSON.stringify(first!.card)).toContain('Evidence: running vetted queries');

    await vi.waitFor(
      async () => {
        await bot.flush();
        const card = await cardOf(/429/);
        expect(JSON.stringify(card?.card)).toContain('Evidence: HTTP 429 throttle rate');
      },
      { timeout: 15_000, interval: 50 },
    );
    const card = (await cardOf(/429/))!;
    const text = JSON.stringify(card.card);
    expect(text).toContain('deployment=gpt-4o');
    expect(text).not.toContain('running vetted queries');
    const table = cardTables(card.card).find((t) => t[0]?.includes('ThrottleRate (%)'))!;
    const [header, ...rows] = table;
    const rateAt = header!.indexOf('ThrottleRate (%)');
    // The evidence shows the latest buckets first: the scenario's gpt-4o 429 spike.
    const times = rows.map((r) => r[0]!);
    expect(times).toEqual([...times].sort().reverse());
    const latestChat = rows.find((r) => r[1] === 'chat-api')!;
    expect(Number(latestChat[rateAt])).toBeGreaterThan(10);
    // The answer comes first: the throttle rate against the alert's 5 % threshold.
    expect(text).toMatch(/Throttle rate [\d.]+% on [\w-]+ at [\d-]+ [\d:]+Z — above the 5\.00% threshold/);
    expect(text.indexOf('Throttle rate ')).toBeLessThan(text.indexOf('ThrottleRate (%)'));
  });

  it('shows "evidence unavailable" with the reason when the query fails, and still shows the card', async () => {
    const res = await bot.postAlert('azure-monitor', throttleAlert('gpt 4o; drop', '2', clock.now()));
    expect(res.status).toBeLessThan(300);
    await bot.flush();
    expect(await cardOf(/gpt 4o; drop/)).toBeDefined();
    await vi.waitFor(
      async () => {
        await bot.flush();
        const card = await cardOf(/gpt 4o; drop/);
        expect(JSON.stringify(card?.card)).toMatch(
          /evidence unavailable: Parameter \\"deployment\\" of throttle-rate/,
        );
      },
      { timeout: 15_000, interval: 50 },
    );
  });

  it('keeps evidence in the evidence repo beside the store, where a restarted bot finds it', async () => {
    const repo = openSqliteEvidenceRepo(join(bot.dataDir, 'bot.db'));
    try {
      const saved = await repo.listSince(0, 10);
      expect(saved).toHaveLength(2);
      const ids = (await bot.store.incidents.listOpen(10)).map((i) => i.id).sort();
      expect(saved.map((s) => s.evidence.incidentId).sort()).toEqual(ids);
      // Local mode has every source: the resource's own log, the gateway's logs, the exported
      // metrics and the Metrics API (its 429s and PTU utilisation).
      const perIncident = [
        'throttle-rate',
        'aoai-resource-errors',
        'apim-tokens-by-subscription',
        'apim-policy-rejections',
        'aoai-exported-volume',
        'aoai-requests-by-status',
        'aoai-ptu-utilization',
      ];
      expect(saved.flatMap((s) => s.evidence.items.map((i) => i.queryId))).toEqual([
        ...perIncident,
        ...perIncident,
      ]);
    } finally {
      await repo.close();
    }
  });
});
