import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { aiPlatformIncidents, type ScenarioStep } from '../../sim/scenarios/ai-platform-incidents.ts';
import { type ConsoleApiMessage, startTestBot, type TestBot } from '../helpers/test-bot.ts';

interface AzureBody {
  data: {
    essentials: { alertRule: string };
    alertContext: { condition: { allOf: { metricValue: number; dimensions: { value: string }[] }[] } };
  };
}
interface AmBody {
  alerts: { labels: Record<string, string> }[];
}

/**
 * The local demo's scenario, played through the real bot in local mode: what each alert says
 * (its value, its pod on a GPU) is what the bot's own evidence and `/gpu` find in the simulated
 * platform, because both come from one definition of the world.
 */
describe('the simulated platform is one world (real bot, local mode)', () => {
  let bot: TestBot;
  const clock = new ManualClock();
  let steps: ScenarioStep[];

  const step = (what: RegExp): ScenarioStep => steps.find((s) => what.test(s.what))!;
  const cardOf = async (what: RegExp): Promise<ConsoleApiMessage | undefined> =>
    (await bot.consoleMessages()).find((m) => m.card && what.test(JSON.stringify(m.card)));

  const play = async (s: ScenarioStep) => {
    s.effect?.({ dcgm: bot.platform!.dcgm, scrapeNow: () => bot.platform!.scrapeNow() });
    bot.platform!.scrapeNow();
    const res = await bot.postAlert(s.source, s.body);
    expect(res.status).toBeLessThan(300);
    await bot.flush();
  };

  beforeAll(async () => {
    bot = await startTestBot({}, clock, { localPlatform: true });
    // The telemetry's episodes are placed relative to the bot's start; so is the scenario.
    steps = aiPlatformIncidents(clock.now());
    // The telemetry worker builds 7 days of rows on its first query; build them before the alert
    // so the evidence's 10 s budget is spent on the query, not on a loaded CI machine's start-up.
    await bot.say('/kql tpm-vs-quota');
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it("the TPM quota alert's value is the tpm-vs-quota evidence's headline", async () => {
    const quota = step(/TPM quota/);
    const condition = (quota.body as AzureBody).data.alertContext.condition.allOf[0]!;
    const deployment = condition.dimensions[0]!.value;
    await play(quota);
    await vi.waitFor(
      async () => {
        await bot.flush();
        expect(JSON.stringify((await cardOf(/tokens-per-minute quota/))?.card)).toContain(
          'Peak TPM used of quota',
        );
      },
      { timeout: 60_000, interval: 100 },
    );
    const text = JSON.stringify((await cardOf(/tokens-per-minute quota/))!.card);
    const headline = /Peak TPM used of quota ([\d.,]+)\s?% on ([\w.-]+)/.exec(text);
    expect(headline, text).not.toBeNull();
    expect(headline![2]).toBe(deployment);
    expect(Number(headline![1]!.replace(/,/g, ''))).toBeCloseTo(condition.metricValue, 1);
  }, 90_000);

  it("the ECC alert's pod is the pod /gpu shows on that node's GPU", async () => {
    const ecc = step(/ECC/);
    const labels = (ecc.body as AmBody).alerts[0]!.labels;
    await play(ecc);
    const reply = await bot.say(`/gpu ${labels.Hostname} gpu=${labels.gpu}`);
    const card = JSON.stringify(reply.card);
    expect(card).toContain(labels.pod);
  });
});
