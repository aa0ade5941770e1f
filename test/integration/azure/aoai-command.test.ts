import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { cardTables } from '../../helpers/card-tables.ts';
import { startTestBot, type TestBot } from '../../helpers/test-bot.ts';

const text = (card: unknown) => JSON.stringify(card);

describe('/aoai in local mode: the simulated resource’s Azure Monitor metrics', () => {
  let bot: TestBot;
  // The scenario starts at the bot's start, in the 429 storm on gpt-4o (from 15 minutes before).
  const clock = new ManualClock();

  beforeAll(async () => {
    bot = await startTestBot({}, clock, { localPlatform: true });
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it('lists the vetted metric queries with their usage', async () => {
    const reply = await bot.say('/aoai');
    const [header, ...rows] = cardTables(reply.card)[0]!;
    expect(header).toEqual(['Query', 'What it answers', 'Usage']);
    expect(rows.map((r) => r[0])).toEqual([
      'aoai-requests-by-status',
      'aoai-ptu-utilization',
      'aoai-spillover',
      'aoai-token-volume',
    ]);
    // Table cells are text: the brackets come escaped, never as markup.
    expect(rows[0]![2]!.replace(/\\/g, '')).toBe(
      '/aoai aoai-requests-by-status [window=…] [start=…] [end=…] [interval=…] [deployment=…]',
    );
  });

  it('shows the storm as a saturated PTU deployment and as 429s the resource counted', async () => {
    const ptu = await bot.say('/aoai aoai-ptu-utilization window=30m');
    expect(text(ptu.card)).toMatch(/Peak utilisation 100(\.0)? ?% on gpt-4o/);
    expect(text(ptu.card)).toContain('simulated Azure Monitor metrics');
    const status = await bot.say('/aoai aoai-requests-by-status deployment=gpt-4o window=30m');
    const [header, ...rows] = cardTables(status.card)[0]!;
    expect(header).toEqual(['TimeGenerated', 'Deployment', 'StatusCode', 'Requests (req)', 'SharePct (%)']);
    expect(rows.some((r) => r[2] === '429')).toBe(true);
    // What ran, as the service received it (the `*` escaped: card text is never markup).
    expect(text(status.card)).toMatch(
      /filter: ModelDeploymentName eq 'gpt-4o' and StatusCode eq '(\\\\)?\*'/,
    );
  });

  it('names a bad parameter and its allowed form', async () => {
    const reply = await bot.say('/aoai aoai-token-volume interval=7m');
    expect(reply.text + text(reply.card)).toMatch(/interval.*one of 1m, 5m, 15m, 30m, 1h, 6h, 12h, 1d/);
  });
});

describe('/aoai in production without a metrics source', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ BOT_MODE: 'production', CONSOLE: 'on' });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('says what to configure instead of answering with nothing', async () => {
    const reply = await bot.say('/aoai aoai-requests-by-status');
    expect(reply.text + text(reply.card)).toMatch(/not configured: set AZURE_METRICS_ENDPOINT/);
  });
});
