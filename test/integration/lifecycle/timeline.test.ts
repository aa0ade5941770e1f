import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { cardTables } from '../../helpers/card-tables.ts';
import { fixture, startTestBot, type TestBot } from '../../helpers/test-bot.ts';

const T0 = Date.parse('2026-12-08T01:00:00Z');
const MIN = 60_000;

/** The timeline table's rows (without its header row), as cell texts. */
function tableRows(card: unknown): string[][] {
  return cardTables(card)[0]?.slice(1) ?? [];
}

describe('/timeline: every step of an incident, who and when', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot({}, new ManualClock(T0));
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('lists the alert, the card, the acknowledgement, the silence and the resolution by hand, newest last', async () => {
    bot.clock.advance(2 * MIN);
    await bot.say('/ack INC-1', 'bob');
    bot.clock.advance(MIN);
    await bot.say('/silence INC-1 30m "fan swap"', 'alice');
    bot.clock.advance(MIN);
    await bot.say('/resolve INC-1 <b>fans</b> replaced <!channel>', 'carol');
    const answer = await bot.say('/timeline INC-1', 'dave');
    expect(answer.text).toContain('INC-1 timeline');
    const rows = tableRows(answer.card);
    expect(rows.map((r) => r[1])).toEqual([
      'incident opened',
      'card posted',
      'acknowledged',
      expect.stringMatching(/^card updated/),
      'silenced',
      expect.stringMatching(/^card updated/),
      'resolved by hand',
      expect.stringMatching(/^card updated/),
    ]);
    const byEvent = new Map(rows.map((r) => [r[1], r]));
    expect(byEvent.get('incident opened')![2]).toBe('bot');
    expect(byEvent.get('acknowledged')![2]).toBe('bob');
    expect(byEvent.get('silenced')![3]).toContain('fan swap');
    // People's words are data: the reason is kept as written, shown as text by the renderers.
    expect(byEvent.get('resolved by hand')![2]).toBe('carol');
    expect(byEvent.get('resolved by hand')![3]).toBe('\\<b\\>fans\\</b\\> replaced \\<!channel\\>');
    const stored = (await bot.store.timeline.list(1, 50)).events.find((e) => e.type === 'resolved-by-hand');
    expect(stored).toMatchObject({ actor: 'console:carol', detail: '<b>fans</b> replaced <!channel>' });
    expect(JSON.stringify(answer.card)).toContain('acknowledged after 2m');
  });

  it('records the platform-qualified user in the store', async () => {
    await bot.say('/ack INC-1', 'bob');
    const { events } = await bot.store.timeline.list(1, 50);
    expect(events.find((e) => e.type === 'acknowledged')).toMatchObject({
      actor: 'console:bob',
      actorName: 'bob',
      at: T0,
    });
    expect(events.find((e) => e.type === 'opened')).toMatchObject({
      actor: 'bot',
      detail: 'GPUTemperatureHigh',
    });
  });

  it('records the alert resolving and the incident resolving by its source', async () => {
    bot.clock.advance(5 * MIN);
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-resolved.json'));
    await bot.flush();
    const types = (await bot.store.timeline.list(1, 50)).events.map((e) => e.type);
    expect(types).toContain('resolved');
    const rows = tableRows((await bot.say('/timeline 1')).card);
    expect(rows.at(-1)?.[1]).toMatch(/card updated|resolved by its source/);
  });

  it('shows the latest lines and counts the earlier ones', async () => {
    for (let n = 0; n < 40; n++) {
      await bot.store.timeline.record({
        incidentId: 1,
        at: T0 + n * MIN,
        type: 'alert-joined',
        actor: 'bot',
        actorName: null,
        detail: `GpuTempHigh on node-${n}`,
      });
    }
    const answer = await bot.say('/timeline INC-1');
    expect(JSON.stringify(answer.card)).toMatch(/… \d+ earlier events/);
    expect(tableRows(answer.card).length).toBeLessThanOrEqual(30);
  });

  it('in the incident thread the id can be left out; elsewhere it asks which incident', async () => {
    const card = (await bot.consoleMessages()).find((m) => m.card)!;
    await fetch(`${bot.url}/api/console/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'bob', text: 'timeline', threadId: card.id }),
    });
    await bot.flush();
    expect((await bot.consoleMessages()).at(-1)!.text).toContain('INC-1 timeline');
    const asked = await bot.say('/timeline');
    expect(asked.text).toContain('Which incident?');
  });
});
