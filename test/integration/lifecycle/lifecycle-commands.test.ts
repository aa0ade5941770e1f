import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { fixture, startTestBot, type TestBot } from '../../helpers/test-bot.ts';

const T0 = Date.parse('2026-12-08T01:00:00Z');
const MIN = 60_000;

/** An Alertmanager webhook for one alert group of its own (a P3 latency alert). */
function alertGroup(n: number) {
  const name = `InferenceLatencyHigh${n}`;
  return {
    receiver: 'chatops-bot',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: name, severity: 'warning', namespace: 'llm-serving', deployment: `vllm-${n}` },
        annotations: { summary: `p99 latency of replica ${n} above 2 s` },
        startsAt: '2026-12-08T00:55:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: `fp${String(n).padStart(6, '0')}`,
      },
    ],
    groupLabels: { alertname: name },
    commonLabels: { alertname: name },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.monitoring.svc:9093',
    version: '4',
    groupKey: `{}:{alertname="${name}"}`,
    truncatedAlerts: 0,
  };
}

async function press(
  bot: TestBot,
  user: string,
  messageId: string,
  verb: string,
  data: Record<string, unknown>,
) {
  const res = await fetch(`${bot.url}/api/console/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, messageId, verb, data }),
  });
  expect(res.status).toBe(200);
  await bot.flush();
}

const texts = (card: unknown) => JSON.stringify(card);

describe('lifecycle commands: bulk ack, unack, own, silences', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot({}, new ManualClock(T0));
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.postAlert('alertmanager', fixture('am-gpu-ecc-xid-node-3.json'));
    await bot.flush();
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('/ack INC-1 INC-2 acknowledges both in one reply, and names an unknown one', async () => {
    const before = (await bot.consoleMessages()).length;
    const answer = await bot.say('/ack INC-1 INC-2,INC-9', 'bob');
    expect(texts(answer.card)).toContain('INC-1 acknowledged by bob.');
    expect(texts(answer.card)).toContain('INC-2 acknowledged by bob.');
    expect(texts(answer.card)).toContain('There is no INC-9');
    // One command, one reply (the cards update in place).
    expect((await bot.consoleMessages()).length).toBe(before + 2);
    expect((await bot.store.incidents.get(1))!.acknowledgedBy).toBe('bob');
    expect((await bot.store.incidents.get(2))!.acknowledgedBy).toBe('bob');
  });

  it('/unack withdraws an acknowledgement: the card asks for one again and MTTA keeps the first', async () => {
    bot.clock.advance(3 * MIN);
    await bot.say('/ack INC-1', 'bob');
    bot.clock.advance(MIN);
    const answer = await bot.say('/unack INC-1', 'carol');
    expect(texts(answer.card)).toContain('acknowledgement by bob withdrawn by carol');
    const card = (await bot.consoleMessages()).find((m) => m.card && m.text.includes('node-7'))!;
    expect(texts(card.card)).toContain('"verb":"ack"');
    expect((await bot.store.incidents.get(1))!.acknowledgedBy).toBeNull();
    expect(texts((await bot.say('/unack INC-1')).card)).toContain('INC-1 is not acknowledged.');
    expect(texts((await bot.say('/timeline INC-1')).card)).toContain('acknowledged after 3m');
  });

  it('/own makes the user the incident commander, on the card; a take-over is recorded', async () => {
    await bot.say('/own INC-1', 'alice');
    let card = (await bot.consoleMessages()).find((m) => m.card && m.text.includes('node-7'))!;
    expect(texts(card.card)).toContain('Commander');
    expect(texts(card.card)).toContain('alice');
    const answer = await bot.say('/own INC-1', 'bob');
    expect(texts(answer.card)).toContain('bob took over INC-1 from alice');
    card = (await bot.consoleMessages()).find((m) => m.id === card.id)!;
    expect(texts(card.card)).toContain('bob');
    const { events } = await bot.store.timeline.list(1, 50);
    expect(events.filter((e) => e.type === 'owned').map((e) => [e.actor, e.detail])).toEqual([
      ['console:alice', ''],
      ['console:bob', 'took over from alice'],
    ]);
  });

  it('/silence INC-1 INC-2 2h silences each by its labels; /silences lists, extends and expires', async () => {
    const answer = await bot.say('/silence INC-1 INC-2 2h "swap"', 'alice');
    expect(texts(answer.card)).toMatch(/INC-1 silenced for 2h \(#1/);
    expect(texts(answer.card)).toMatch(/INC-2 silenced for 2h \(#2/);
    const listed = await bot.say('/silences');
    expect(texts(listed.card)).toContain('2 active');

    const extended = await bot.say('/silences extend 1 3h', 'bob');
    expect(texts(extended.card)).toContain('Silence #1 extended by 3h by bob');
    expect((await bot.store.silences.get(1))!.endsAt).toBe(T0 + 5 * 60 * MIN);
    expect((await bot.store.incidents.get(1))!.silencedUntil).toBe(T0 + 5 * 60 * MIN);
    // Past the policy's longest silence (14 days by default): refused in a sentence.
    expect(texts((await bot.say('/silences extend 1 14d')).card)).toContain('Silences last at most');

    const expired = await bot.say('/silences expire 2', 'bob');
    expect(texts(expired.card)).toContain('Silence #2 expired by bob; INC-2 active again');
    expect(texts((await bot.say('/silences expire 2')).card)).toContain('Silence #2 is not active');
    expect(texts((await bot.say('/silences')).card)).toContain('1 active');
    const types = (await bot.store.timeline.list(1, 50)).events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['silenced', 'silence-extended']));
  });

  it('a bad /silences line is answered with its usage, not zod text', async () => {
    const answer = await bot.say('/silences extend soon');
    expect(texts(answer.card)).not.toMatch(/invalid_|ZodError|"code"/);
  });
});

describe('storm card: Acknowledge all and Silence all', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot({}, new ManualClock(T0));
    // 15 groups at once: past the default storm threshold (10 in 120 s).
    for (let n = 1; n <= 15; n++) await bot.postAlert('alertmanager', alertGroup(n));
    await bot.flush();
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('acknowledges every firing incident of the storm with one reply', async () => {
    const storm = (await bot.consoleMessages()).find(
      (m) => m.threadId === null && m.text.includes('Alert storm'),
    )!;
    expect(texts(storm.card)).toContain('Acknowledge all');
    const before = (await bot.consoleMessages()).length;
    await press(bot, 'bob', storm.id, 'storm-ack', { stormId: 1 });
    const stormIds = (await bot.store.storms.listIncidents(1)).map((i) => i.id);
    expect(stormIds.length).toBeGreaterThan(0);
    for (const id of stormIds) expect((await bot.store.incidents.get(id))!.acknowledgedBy).toBe('bob');
    const after = await bot.consoleMessages();
    expect(after.length).toBe(before + 1);
    expect(texts(after.at(-1)!.card)).toContain(`INC-${stormIds.at(-1)} acknowledged by bob.`);
    // The storm card itself says so, edited in place, and has nothing left to press.
    await bot.flush();
    const edited = (await bot.consoleMessages()).find((m) => m.id === storm.id)!;
    expect(texts(edited.card)).toContain(`${stormIds.length} acknowledged · 0 silenced · 0 nobody yet`);
    expect(texts(edited.card)).toContain('ack bob');
    expect(texts(edited.card)).not.toContain('Acknowledge all');
  });

  it('silences every firing incident of the storm for the chosen duration', async () => {
    const storm = (await bot.consoleMessages()).find(
      (m) => m.threadId === null && m.text.includes('Alert storm'),
    )!;
    await press(bot, 'alice', storm.id, 'storm-silence', { stormId: 1, duration: '4h' });
    const stormIds = (await bot.store.storms.listIncidents(1)).map((i) => i.id);
    for (const id of stormIds) {
      const i = (await bot.store.incidents.get(id))!;
      expect({ id, silencedUntil: i.silencedUntil }).toEqual({ id, silencedUntil: T0 + 4 * 60 * MIN });
    }
    expect(texts((await bot.consoleMessages()).at(-1)!.card)).toMatch(/silenced for 4h/);
  });
});
