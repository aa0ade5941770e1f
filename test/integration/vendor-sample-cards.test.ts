import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsoleApiMessage, startTestBot, type TestBot } from '../helpers/test-bot.ts';

/** A vendor's published sample from test/fixtures/alerts/vendor (see its README). */
// biome-ignore lint/suspicious/noExplicitAny: tests read the samples' documented fields by path
function vendor(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../fixtures/alerts/vendor/${name}`, import.meta.url), 'utf8'));
}

const UTC_DATE = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const UTC_TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** Card text as a reader in UTC sees it: escapes removed, DATE()/TIME() functions rendered. */
function asRead(text: string): string {
  return text
    .replace(/\{\{DATE\(([^,)]+), SHORT\)\}\} \{\{TIME\(([^)]+)\)\}\}/g, (_m, iso: string) => {
      const d = new Date(iso);
      return `${UTC_DATE.format(d)}, ${UTC_TIME.format(d)} UTC`;
    })
    .replace(/\{\{DATE\(([^,)]+), SHORT\)\}\}/g, (_m, iso: string) => UTC_DATE.format(new Date(iso)))
    .replace(/\{\{TIME\(([^)]+)\)\}\}/g, (_m, iso: string) => `${UTC_TIME.format(new Date(iso))} UTC`)
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Every TextBlock/FactSet text of an Adaptive Card as read, one per line; link buttons as `[title](url)`. */
function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.OpenUrl') out.push(`[${String(o.title)}](${String(o.url)})`);
    if (typeof o.text === 'string') out.push(asRead(o.text));
    if (typeof o.title === 'string' && typeof o.value === 'string')
      out.push(`${asRead(o.title)}: ${asRead(o.value)}`);
    for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
  };
  walk(card);
  return out.join('\n');
}

describe('vendor samples through the real webhook: the card shows what the sender sent', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.stop();
  });

  async function cardFor(source: string, body: unknown): Promise<{ text: string; msg: ConsoleApiMessage }> {
    const res = await bot.postAlert(source, body);
    expect(res.status).toBe(202);
    await bot.flush();
    const msg = (await bot.consoleMessages()).find((m) => m.card && m.threadId === null)!;
    expect(msg).toBeDefined();
    return { text: cardText(msg.card), msg };
  }

  it.each([
    'azure-test-activity-log.json',
    'azure-test-log-v2.json',
    'azure-test-log-v1-num-results.json',
    'azure-test-smart-alert.json',
    'azure-test-resource-health.json',
    'azure-test-service-health.json',
    'azure-test-metric-static.json',
    'azure-prometheus.json',
  ])('%s: title is the alert rule, Started is firedDateTime, the description is text', async (name) => {
    const sample = vendor(name);
    const e = sample.data.essentials;
    const { text, msg } = await cardFor('azure-monitor', sample);
    expect(msg.text).toContain(e.alertRule);
    const fired = new Date(e.firedDateTime);
    const day = fired.toLocaleDateString('en-GB', {
      timeZone: 'UTC',
      day: '2-digit',
      month: 'short',
      year: 'numeric',
    });
    expect(text).toMatch(new RegExp(`Started: ${day}`));
    if (e.description) expect(text).toContain(e.description);
    await expect(`${JSON.stringify(msg.card, null, 2)}\n`).toMatchFileSnapshot(
      `../golden/vendor-cards/${name}`,
    );
  });

  it.each([
    ['azure-test-cost-budget.json', 'P1', ['Spent: $11,111.00 (22,222 % of budget)']],
    ['azure-test-forecasted-budget.json', 'P3', ['Forecast: $1111.11 (2,222 % of budget)']],
    ['azure-test-budget.json', 'P3', ['Forecast: $1111.11 (2,222 % of budget)']],
  ])(
    'budget sample %s opens a %s cost incident showing budget, amount, spent and threshold',
    async (name, tier, lines) => {
      const sample = vendor(name);
      const data = sample.data.alertContext.AlertData;
      const { text, msg } = await cardFor('azure-monitor', sample);
      expect(msg.text).toContain(tier);
      expect(msg.text).toContain(data.BudgetName);
      expect(text).not.toContain('no recognised kind or severity');
      expect(text).toContain(`Budget: ${data.BudgetName}`);
      expect(text).toContain('Budget amount: $50.00 USD');
      expect(text).toContain(`Spent: ${data.SpentAmount}`);
      expect(text).toMatch(/Threshold: \$(25|50)\.00 \((50|100) % of budget\), (actual|forecasted) spend/);
      for (const line of lines) expect(text).toContain(line);
      const [incident] = await bot.store.incidents.listOpen(10);
      expect(incident?.tier).toBe(tier);
      await expect(`${JSON.stringify(msg.card, null, 2)}\n`).toMatchFileSnapshot(
        `../golden/vendor-cards/${name}`,
      );
    },
  );

  it('Microsoft’s fired test payload of 15 Apr 2025 is shown as started then, not when it arrived', async () => {
    const { text } = await cardFor('azure-monitor', vendor('azure-test-log-v2.json'));
    expect(text).toContain('Started: 15 Apr 2025, 18:08 UTC');
    expect(text).not.toContain('28 Nov 2026');
  });

  it('resolution time and duration come from firedDateTime/resolvedDateTime (4 min 52 s), not arrival', async () => {
    const resolved = vendor('azure-sample-metric-resolved.json');
    const fired = structuredClone(resolved);
    fired.data.essentials.monitorCondition = 'Fired';
    delete fired.data.essentials.resolvedDateTime;
    await cardFor('azure-monitor', fired);
    bot.clock.advance(5_000);
    await bot.postAlert('azure-monitor', resolved);
    await bot.flush();
    const messages = await bot.consoleMessages();
    const card = messages.find((m) => m.threadId === null)!;
    const text = cardText(card.card);
    expect(text).toContain('Started: 22 Mar 2019, 13:58 UTC');
    expect(text).toContain('Resolved: 22 Mar 2019, 14:03 UTC');
    expect(text).toContain('after 4m');
    const reply = messages.find((m) => m.threadId === card.id)!;
    expect(reply.text).toContain('resolved after 4m');
    expect(reply.text).not.toContain('after 5s');
  });

  it('log alerts V2 and legacy V1 link to their search results and show the query', async () => {
    const v2 = vendor('azure-test-log-v2.json');
    const { text } = await cardFor('azure-monitor', v2);
    const filtered = v2.data.alertContext.condition.allOf[0].linkToFilteredSearchResultsUI;
    expect(text).toContain(`[Search results](${filtered})`);
    expect(text).toContain('Heartbeat');
    await bot.stop();
    bot = await startTestBot();
    const v1 = vendor('azure-test-log-v1-num-results.json');
    const legacy = await cardFor('azure-monitor', v1);
    expect(legacy.text).toContain(`[Search results](${v1.data.alertContext.LinkToFilteredSearchResultsUI})`);
  });

  it('activity-log alerts show operation, caller and status', async () => {
    const { text } = await cardFor('azure-monitor', vendor('azure-test-activity-log.json'));
    expect(text).toContain('Operation: Microsoft.Compute/virtualMachines/restart/action');
    expect(text).toContain('Caller: user@contoso.com');
    expect(text).toContain('Status: Succeeded');
  });

  it('resource-health alerts show the health change and its cause', async () => {
    const { text } = await cardFor('azure-monitor', vendor('azure-test-resource-health.json'));
    expect(text).toContain('Health: Available → Unavailable');
    expect(text).toContain('Cause: UserInitiated');
    expect(text).toContain('Status: Active');
  });

  it('smart-detector alerts show the detected and the normal value', async () => {
    const { text } = await cardFor('azure-monitor', vendor('azure-test-smart-alert.json'));
    expect(text).toContain('Detected value: 0.45 sec');
    expect(text).toContain('Normal value: 0.27 sec (over the last 7 days)');
    expect(text).toContain('Detector: Dependency Performance Degradation Detector');
  });

  it('managed-Prometheus alerts show their expression and value', async () => {
    const { text } = await cardFor('azure-monitor', vendor('azure-prometheus.json'));
    expect(text).toContain('sql_up > 0');
    expect(text).toContain('Value: 0');
    expect(text).toContain('alert on SQL availability');
  });

  it('a Grafana group takes title and description from the same alert, and links its silence URL', async () => {
    const sample = vendor('grafana-docs-group.json');
    const { text, msg } = await cardFor('grafana', sample);
    const [first, second] = sample.alerts;
    expect(msg.text).toContain(first.annotations.summary);
    expect(text).toContain(first.annotations.description);
    expect(text).not.toContain(second.annotations.description);
    expect(text).toContain(`[Silence at source](${first.silenceURL})`);
    expect(text).toContain('Started: 12 Oct 2021, 07:51 UTC');
    expect(text).toContain('B=44.24 C=1');
    expect(text).toContain('Rules: High memory usage, High CPU usage');
    await expect(`${JSON.stringify(msg.card, null, 2)}\n`).toMatchFileSnapshot(
      '../golden/vendor-cards/grafana-docs-group.json',
    );
  });

  it('Alertmanager alerts show the rule, their start, their expression and a `$value` annotation', async () => {
    const sample = vendor('alertmanager-docs.json');
    sample.alerts[0].annotations.value = '79';
    const { text, msg } = await cardFor('alertmanager', sample);
    expect(text).toContain('Rule: GPUXidError');
    expect(text).toContain('Started: 06 Feb 2023, 13:08 UTC');
    expect(text).toContain('DCGM_FI_DEV_XID_ERRORS > 0');
    const table = JSON.stringify(msg.card);
    expect(table).toContain('"text":"79"');
    await expect(`${JSON.stringify(msg.card, null, 2)}\n`).toMatchFileSnapshot(
      '../golden/vendor-cards/alertmanager-docs.json',
    );
  });
});
