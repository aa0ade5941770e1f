import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import { cardTables } from '../helpers/card-tables.ts';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';

/** A rendered card as text, to look for what a person can read on it. */
function cardText(card: unknown): string {
  return JSON.stringify(card);
}

describe('/kql on the real bot in local mode (console API)', () => {
  let bot: TestBot;
  const clock = new ManualClock();

  // One user per command: this file is about /kql's answers; rate limits have a test of their own.
  let users = 0;
  const ask = (text: string) => bot.say(text, `kql-user-${users++}`);

  beforeAll(async () => {
    bot = await startTestBot({}, clock, { localPlatform: true });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('/kql lists every vetted query of the catalog', async () => {
    const reply = await ask('/kql');
    const text = cardText(reply.card);
    for (const id of KQL_CATALOG.keys()) expect(text).toContain(id);
    expect(text).toContain('prompt-injection-sources (private)');
  });

  it('/kql throttle-rate shows the gpt-4o 429 spike, the parameters and the exact KQL that ran', async () => {
    const reply = await ask('/kql throttle-rate deployment=gpt-4o window=30m bucket=5m');
    const text = cardText(reply.card);
    expect(text).toContain('HTTP 429 throttle rate');
    expect(text).toContain('ThrottleRate');
    // The bound text: the declare line replaced by let bindings, the body unchanged.
    expect(text).toContain('let window = 1800000ms;');
    expect(text).toContain('let deployment = \\"gpt-4o\\";');
    expect(text).toContain(
      'summarize Total = sum(ItemCount), Throttled = sumif(ItemCount, ResultCode == \\"429\\")',
    );
    expect(text).toContain('30m');
    // The simulated scenario throttles ~30% of gpt-4o requests from 15 minutes before the start.
    const [header, ...rows] = cardTables(reply.card)[0]!;
    expect(header).toEqual([
      'TimeGenerated',
      'AppRoleName',
      'Total (req)',
      'Throttled (req)',
      'ThrottleRate (%)',
    ]);
    const rate = (time: string, role: string) =>
      Number(rows.find((r) => r[0] === time && r[1] === role)?.[4]);
    // Newest first: the spike's buckets are on the card, the calm ones before it behind "N more".
    expect(rows[0]![0]).toBe('2026-11-28 08:55Z');
    expect(rows.map((r) => r[0])).not.toContain('2026-11-28 08:30Z');
    expect(rate('2026-11-28 08:50Z', 'chat-api')).toBeGreaterThan(10);
    expect(rate('2026-11-28 08:50Z', 'chat-api')).toBeLessThan(50);
    // The answer first: the newest bucket's worst rate against the 5 % threshold.
    expect(text).toMatch(/Throttle rate [\d.]+% on [\w-]+ at 2026-11-28 08:55Z — above the 5\.00% threshold/);
    // /metrics times it per query.
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(
      /^oncall_bot_query_duration_seconds_count\{query="throttle-rate",backend="local",outcome="ok"\} [1-9]/m,
    );
  });

  it('a time-series result links a chart that renders as PNG; unknown chart ids are 404', async () => {
    const reply = await ask('/kql traffic-latency-errors window=1h bucket=5m');
    const url = /"url":"([^"]*\/kql-charts\/[0-9a-f]{32}\.png)"/.exec(cardText(reply.card))?.[1];
    expect(url).toBeDefined();
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect((await fetch(`${bot.url}/kql-charts/${'0'.repeat(32)}.png`)).status).toBe(404);
    // A table-only query gets no chart.
    expect(cardText((await ask('/kql token-usage')).card)).not.toContain('/kql-charts/');
  });

  it('a table longer than the card says how many rows it left out', async () => {
    const reply = await ask('/kql slow-requests window=1d slo_ms=1000');
    expect(cardText(reply.card)).toMatch(/\d+ more/);
  });

  it('bad parameters are named with their allowed form', async () => {
    const bad = await ask('/kql throttle-rate window=forever');
    expect(bad.text + cardText(bad.card)).toMatch(
      /Parameter "window" of throttle-rate: expected a duration between 5m and 14d/,
    );
    const hostile = await ask('/kql throttle-rate "deployment=x\\" | take 1"');
    expect(hostile.text + cardText(hostile.card)).toMatch(/Parameter "deployment".*deployment name/);
    const unknown = await ask('/kql token-usage tenant=contoso');
    expect(unknown.text + cardText(unknown.card)).toMatch(
      /token-usage has no parameter "tenant"; its parameters: window/,
    );
    const missing = await ask('/kql no-such-query');
    expect(missing.text + cardText(missing.card)).toMatch(/no vetted query "no-such-query"/);
  });

  it('refuses a private query in a channel', async () => {
    const reply = await ask('/kql prompt-injection-sources');
    const text = reply.text + cardText(reply.card);
    expect(text).toMatch(/direct message/);
    expect(text).not.toMatch(/user-\d+/);
  });
});
