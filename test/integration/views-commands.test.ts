import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { type ConsoleApiMessage, fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

/** Every TextBlock text and FactSet fact of an Adaptive Card, one per line. */
function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text.replace(/\\([!-/:-@[-`{-~])/g, '$1'));
    if (typeof o.title === 'string' && typeof o.value === 'string') out.push(`${o.title}: ${o.value}`);
    for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
  };
  walk(card);
  return out.join('\n');
}

function imageUrls(card: unknown): string[] {
  return [...JSON.stringify(card).matchAll(/"url":"(http[^"]+\.png)"/g)].map((m) => m[1]!);
}

const POLICY = `
cost:
  teams: { inference: search, ml-train: research, ml: support }
  budgets:
    - { name: platform-daily, period: daily, amount: 5000 }
    - { name: platform-monthly, period: monthly, amount: 60000 }
views: { slaTarget: 99.9 }
# The views are under test: no detector's incident card may land between a command and its answer.
detectors: { enabled: false }
`;

describe('/status and /cost on the real bot over the simulated platform', () => {
  let bot: TestBot;
  const clock = new ManualClock();
  let status: ConsoleApiMessage;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'views-policy-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    bot = await startTestBot({ POLICY_FILE: join(dir, 'policy.yaml') }, clock, { localPlatform: true });
    status = await bot.say('/status');
  }, 120_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it('/status: the gpt-4o 429 storm shows as gpt-4o below the SLA, with spend against the policy budgets', async () => {
    const text = cardText(status.card);
    expect(status.text).toContain('Executive status');
    // The storm: ~30 % of gpt-4o's requests answered 429 in the last 15 minutes.
    expect(text).toMatch(/Failing now \(last hour\): gpt-4o 9\d\.\d\d % \([\d,]+ 429s in 24h\)/);
    // batch-api's error spike (8 % 5xx in the last 40 minutes) is gpt-4.1's.
    expect(text).toMatch(/Failing now \(last hour\): .*gpt-4\.1 9\d\.\d\d % \(0 429s in 24h\)/);
    expect(text).toMatch(/Below the 99\.9 % SLA over the last 24h: .*gpt-4o 99\.\d+ %/);
    const table = JSON.stringify(status.card);
    // gpt-4o leads the availability table: it is failing now.
    expect(table.indexOf('"text":"gpt-4o"')).toBeLessThan(table.indexOf('"text":"gpt-4o-mini"'));
    expect(text).toMatch(/Spend today: [\d,]+\.\d\d USD \([\d.]+ % of 5,000\.00 USD\)/);
    expect(text).toMatch(/Spend this month: [\d,]+\.\d\d USD \([\d.]+ % of 60,000\.00 USD\)/);
    expect(text).toMatch(/Served \(24h\): [\d,]+ requests · 5 active deployments · [\d,]+ users/);
    expect(text).toContain('Open incidents: 0 P1 · 0 P2');
    expect(text).toMatch(/Query time: \d+ ms queries · \d+ ms chart/);
    expect(JSON.stringify(status.card).length).toBeLessThan(28_000);
  });

  it('/status: MTTA and MTTR come from the incidents’ timelines, overall and per tier', async () => {
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
    clock.advance(4 * 60_000);
    await bot.say('/ack INC-1', 'bob');
    await bot.say('/unack INC-1', 'bob');
    clock.advance(6 * 60_000);
    await bot.say('/resolve INC-1 fan replaced', 'bob');
    const text = cardText((await bot.say('/status')).card);
    expect(text).toContain('MTTA / MTTR (30d): 4m / 10m · P2 4m / 10m');
  });

  it('/status: its one chart is a PNG served by the bot', async () => {
    const [url] = imageUrls(status.card);
    expect(url).toMatch(new RegExp(`^${bot.url}/view-charts/[0-9a-f]{32}\\.png$`));
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${bot.url}/view-charts/${'0'.repeat(32)}.png`)).status).toBe(404);
  });

  it('/cost: tokens and GPU-hours per team in USD, with units', async () => {
    const reply = await bot.say('/cost today');
    const text = cardText(reply.card);
    expect(reply.text).toMatch(/Spend today \(UTC\): [\d,]+\.\d\d USD/);
    expect(text).toMatch(/Tokens: [\d,]+\.\d\d USD · [\d.,]+ (M )?tokens/);
    expect(text).toMatch(/GPU: [\d,]+\.\d\d USD · [\d.,]+ GPU-h/);
    for (const team of ['support', 'search', 'research']) expect(text).toContain(team);
    expect(text).toContain('NVIDIA H100 80GB HBM3');

    const team = cardText((await bot.say('/cost search 7d')).card);
    expect(team).toContain('team search');
    const deployment = await bot.say('/cost gpt-4o month');
    expect(cardText(deployment.card)).toContain('deployment gpt-4o');
    expect(cardText(deployment.card)).not.toContain('GPU:');
  });

  it('/cost names a bad argument', async () => {
    const reply = await bot.say('/cost support 90d');
    // Arguments a command does not take are read as a question; the card still names the allowed range.
    expect(reply.text + JSON.stringify(reply.card)).toMatch(/between 1h and 31d/);
  });

  it('/eng: the 429 storm on the error panel, latency against the SLO, throughput, and four PNG charts', async () => {
    const started = performance.now();
    // Its own user: the views are charged to the kql rate limit per user, and alice has used hers.
    const reply = await bot.say('/eng', 'erin');
    const elapsed = performance.now() - started;
    const text = cardText(reply.card);
    expect(reply.text).toContain('Engineering view');
    // The storm: gpt-4o's callers see ~30 % 429s in its last minutes, marked as a 4xx spike.
    expect(text).toMatch(/Error spikes: .*4xx POST \/chat [\d.]+ %/);
    // batch-api's 5xx spike (gpt-4.1) is there too.
    expect(text).toMatch(/Error spikes: .*5xx POST \/batch\/item [\d.]+ %/);
    expect(text).toMatch(/Latency, last 1h \(SLO 2,000 ms\)/);
    expect(text).toMatch(/Throughput now: [\d,.]+ req\/s · [\d,]+ tokens\/s/);
    expect(text).toMatch(/GPU nodes: \d+ in the heatmap/);
    const urls = imageUrls(reply.card);
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      const png = await fetch(url);
      expect(png.headers.get('content-type')).toBe('image/png');
    }
    const timing = /Query time: (\d+) ms queries · (\d+) ms charts/.exec(text)!;
    console.log(
      `/eng: ${timing[1]} ms queries, ${timing[2]} ms charts, ${Math.round(elapsed)} ms to the card`,
    );
    const one = cardText((await bot.say('/eng gpt-4o', 'erin')).card);
    expect(one).toContain('(the whole fleet: nodes are not per deployment)');
    expect(one).not.toMatch(/gpt-4o-mini/);
  }, 60_000);

  it('/capacity: GPU quota of the simulated subscription, HPA headroom, the request projection and the burn rate', async () => {
    const reply = await bot.say('/capacity', 'frank');
    const text = cardText(reply.card);
    expect(reply.text).toContain('Capacity');
    // Eight ND H100 v5 nodes of 96 vCPUs in eastus2, against a quota of twelve.
    expect(text).toContain('Standard NDSH100v5 Family vCPUs');
    expect(text).toContain('768 of 1,152 vCPUs');
    expect(text).toContain('Standard NCADS_A100_v4 Family vCPUs');
    expect(text).toMatch(/HPA ml\/llm-api/);
    expect(text).toMatch(/node pool gpu/);
    expect(text).toContain('Node pool ceilings: unknown: the policy names no AKS cluster (remediation.aks)');
    expect(text).toMatch(/Projected requests per day: \+30 d: [\d,]+ · \+60 d: [\d,]+ · \+90 d: [\d,]+/);
    expect(text).toMatch(/Budget lasts: platform-monthly \(60,000\.00 USD\): [\d,.]+ days left at this rate/);
    expect(imageUrls(reply.card)).toHaveLength(1);
    const timing = /Query time: (\d+) ms queries · (\d+) ms chart/.exec(text)!;
    console.log(`/capacity: ${timing[1]} ms queries, ${timing[2]} ms chart`);
  }, 60_000);
});
