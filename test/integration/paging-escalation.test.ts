import { afterEach, describe, expect, it } from 'vitest';
import { alertGroup, type PagingHarness, startPagingHarness } from '../unit/paging/paging-harness.ts';

const MINUTE = 60_000;
const ONCALL = { console: { primary: 'console:alice', secondary: 'console:bob' } };

async function ack(h: PagingHarness, id: number) {
  await fetch(`${h.bot.url}/api/console/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'carol', text: `/ack INC-${id}` }),
  });
  await h.bot.flush();
}

const count = (texts: string[], needle: string) => texts.filter((t) => t.includes(needle)).length;

describe('escalation and reminders', () => {
  let h: PagingHarness;
  afterEach(async () => {
    await h?.stop();
  });

  it('escalates an unacknowledged P1 after 5 minutes, once, naming the secondary', async () => {
    h = await startPagingHarness({ oncall: ONCALL });
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick();
    h.bot.clock.advance(4 * MINUTE + 59_000);
    await h.tick();
    expect(count(await h.threadTexts(), 'Escalating')).toBe(0);
    h.bot.clock.advance(1_000);
    await h.tick();
    await h.tick();
    h.bot.clock.advance(10 * MINUTE);
    await h.tick();
    const texts = await h.threadTexts();
    expect(count(texts, 'Escalating to console:bob')).toBe(1);
    expect(count(texts, 'primary: console:alice')).toBe(1);
    const triggers = h.pd.accepted().filter((e) => e.event_action === 'trigger');
    expect(triggers).toHaveLength(2);
    expect(triggers[1]!.dedup_key).toBe(triggers[0]!.dedup_key);
    expect(JSON.stringify(triggers[1]!.payload)).toContain('escalated');
  });

  it('does not escalate a P1 acknowledged in time', async () => {
    h = await startPagingHarness({ oncall: ONCALL });
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick();
    h.bot.clock.advance(2 * MINUTE);
    await ack(h, 1);
    await h.tick();
    h.bot.clock.advance(10 * MINUTE);
    await h.tick();
    expect(count(await h.threadTexts(), 'Escalating')).toBe(0);
    expect(h.pd.accepted().map((e) => e.event_action)).toEqual(['trigger', 'acknowledge']);
  });

  it('honours a configured escalation delay', async () => {
    h = await startPagingHarness({ escalateAfter: '2m' });
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick();
    h.bot.clock.advance(2 * MINUTE);
    await h.tick();
    expect(count(await h.threadTexts(), 'Escalating to the secondary on-call')).toBe(1);
  });

  it('escalates in chat even without PagerDuty', async () => {
    h = await startPagingHarness({ oncall: ONCALL }, { noPagerDuty: true });
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick();
    h.bot.clock.advance(5 * MINUTE);
    await h.tick();
    await h.tick();
    expect(count(await h.threadTexts(), 'Escalating to console:bob')).toBe(1);
    expect(h.pd.received).toHaveLength(0);
  });

  it('reminds about an unacknowledged P2 at 30 minutes, once, and never pages it', async () => {
    h = await startPagingHarness({ oncall: ONCALL });
    await h.bot.postAlert('alertmanager', alertGroup('GpuTempHigh', 'warning'));
    await h.tick();
    h.bot.clock.advance(29 * MINUTE);
    await h.tick();
    expect(count(await h.threadTexts(), 'still not acknowledged')).toBe(0);
    h.bot.clock.advance(MINUTE);
    await h.tick();
    await h.tick();
    h.bot.clock.advance(30 * MINUTE);
    await h.tick();
    expect(count(await h.threadTexts(), 'INC-1 (P2) is still not acknowledged after 30m')).toBe(1);
    expect(h.pd.received).toHaveLength(0);
  });

  it('sends no P2 reminder once acknowledged', async () => {
    h = await startPagingHarness();
    await h.bot.postAlert('alertmanager', alertGroup('GpuTempHigh', 'warning'));
    await h.tick();
    h.bot.clock.advance(10 * MINUTE);
    await ack(h, 1);
    h.bot.clock.advance(30 * MINUTE);
    await h.tick();
    expect(count(await h.threadTexts(), 'still not acknowledged')).toBe(0);
  });
});
