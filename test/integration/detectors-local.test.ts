import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { FINETUNE_EPISODE } from '../../sim/telemetry/profile.ts';
import { type ConsoleApiMessage, startTestBot, type TestBot } from '../helpers/test-bot.ts';

interface CardAction {
  type: string;
  verb?: string;
  title?: string;
  data?: Record<string, unknown>;
}

const buttons = (card: Record<string, unknown> | null): CardAction[] =>
  ((card?.actions as CardAction[] | undefined) ?? []).filter((a) => a.type === 'Action.Execute');

describe('the bot watches by itself (real bot, local mode, no alert sent by anyone)', () => {
  let bot: TestBot;
  const clock = new ManualClock();
  const cardOf = async (what: RegExp): Promise<ConsoleApiMessage | undefined> =>
    (await bot.consoleMessages()).find((m) => m.card && what.test(JSON.stringify(m.card)));

  beforeAll(async () => {
    bot = await startTestBot({}, clock, { localPlatform: true });
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it('runs nothing in its first two minutes', async () => {
    clock.advance(60_000);
    await bot.tick();
    await new Promise((r) => setTimeout(r, 200));
    await bot.flush();
    expect(await bot.consoleMessages()).toEqual([]);
  });

  it('opens a model regression incident for gpt-4.1’s fine-tune, with the comparison and a rollback proposal', async () => {
    clock.advance(61_000);
    await bot.tick();
    await vi.waitFor(
      async () => {
        await bot.flush();
        expect(await cardOf(/Model regression: gpt-4\.1/)).toBeDefined();
      },
      { timeout: 60_000, interval: 200 },
    );
    const card = (await cardOf(/Model regression: gpt-4\.1/))!;
    const text = JSON.stringify(card.card);
    expect(text).toContain(`${FINETUNE_EPISODE.fromVersion} → ${FINETUNE_EPISODE.toVersion}`);
    expect(text).toContain('Ungrounded answers (evaluator score');
    expect(text).toMatch(/answers shorter/);
    expect(text).toMatch(/P2/);
    const propose = buttons(card.card).find((a) => a.verb === 'remediation-propose');
    expect(propose?.title).toBe(`Propose: Roll back gpt-4.1 ${FINETUNE_EPISODE.toVersion}`);
    // The rollback has a target in the simulated cluster: the Deployment serving gpt-4.1, whose
    // previous revision is the version before the fine-tune.
    const pressed = await fetch(`${bot.url}/api/console/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user: 'alice',
        messageId: card.id,
        verb: 'remediation-propose',
        data: propose!.data,
      }),
    });
    expect(pressed.status).toBeLessThan(300);
    await vi.waitFor(
      async () => {
        await bot.flush();
        const plan = (await bot.consoleMessages()).find(
          (m) => m.threadId === card.id && buttons(m.card).some((a) => a.verb === 'remediation-approve'),
        );
        expect(JSON.stringify(plan?.card)).toContain('support-api');
        expect(JSON.stringify(plan?.card)).toContain(FINETUNE_EPISODE.fromVersion);
      },
      { timeout: 30_000, interval: 200 },
    );
    // The evidence: the quality per version, run as any incident's evidence.
    await vi.waitFor(
      async () => {
        await bot.flush();
        expect(JSON.stringify((await cardOf(/Model regression: gpt-4\.1/))?.card)).toContain(
          'Evidence: Answer quality per model version',
        );
      },
      { timeout: 30_000, interval: 200 },
    );
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/oncall_bot_detector_runs_total\{detector="model-drift",outcome="found"\} 1/);
    expect(metrics).toMatch(
      /oncall_bot_detector_run_duration_seconds_count\{detector="silent-outage",outcome="clear"\} 1/,
    );
  }, 120_000);

  it('also finds the stale tickets index, and no silent outage', async () => {
    await bot.flush();
    expect(await cardOf(/Stale data: rag-index-tickets/)).toBeDefined();
    expect(await cardOf(/Silent outage/)).toBeUndefined();
  });

  it('answers "did answers get worse since the new version?" with the comparison per version', async () => {
    const answer = await bot.say('did answers get worse since the new version?');
    const text = JSON.stringify(answer.card);
    expect(text).toContain('Answer quality per model version');
    expect(text).toContain(FINETUNE_EPISODE.toVersion);
    expect(text).toContain('UngroundedRate (%)');
  }, 60_000);

  it('the webhook intake has no detector source: nobody can post as the bot’s detectors', async () => {
    const res = await bot.postAlert('detector', { status: 'firing' });
    expect(res.status).toBe(404);
  });
});
