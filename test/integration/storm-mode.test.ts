import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsoleApiMessage, startTestBot, type TestBot } from '../helpers/test-bot.ts';

const SEC = 1_000;

/** An Alertmanager webhook for one alert group of its own. */
function alertGroup(n: number, options: { tier?: 'P1'; status?: 'firing' | 'resolved' } = {}) {
  const name = `InferenceLatencyHigh${n}`;
  const status = options.status ?? 'firing';
  return {
    receiver: 'chatops-bot',
    status,
    alerts: [
      {
        status,
        labels: {
          alertname: name,
          severity: 'warning',
          ...(options.tier ? { tier: options.tier } : {}),
          cluster: 'aks-gpu-01',
          namespace: 'llm-serving',
          deployment: `vllm-${n % 3}`,
        },
        annotations: { summary: `p99 latency of replica ${n} above 2 s` },
        startsAt: '2026-11-28T09:00:00.000Z',
        endsAt: status === 'resolved' ? '2026-11-28T09:05:00.000Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.monitoring.svc:9090/graph',
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

const topLevel = (ms: ConsoleApiMessage[]) => ms.filter((m) => m.threadId === null);
const stormCards = (ms: ConsoleApiMessage[]) => topLevel(ms).filter((m) => m.text.includes('Alert storm'));

describe('storm mode through the real bot (console surface)', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.stop();
  });

  async function post(n: number, options: Parameters<typeof alertGroup>[1] = {}): Promise<void> {
    const res = await bot.postAlert('alertmanager', alertGroup(n, options));
    expect(res.status).toBe(202);
  }

  it('posts the first 10 cards, then one storm card updated in place; P1s still get cards; the storm ends', async () => {
    // 25 groups at once: the default threshold is 10 in 120 s.
    await Promise.all(Array.from({ length: 25 }, (_, i) => post(i + 1)));
    await bot.flush();
    let messages = await bot.consoleMessages();
    expect(topLevel(messages)).toHaveLength(11);
    expect(topLevel(messages).filter((m) => m.text.includes('[P2 FIRING]'))).toHaveLength(10);
    const [storm] = stormCards(messages);
    expect(storm!.text).toContain('Alert storm: 15 incidents');
    const card = JSON.stringify(storm!.card);
    expect(card).toContain('15 firing');
    expect(card).toContain('/alerts');
    expect(card).toContain('5 more');

    // More incidents: the same storm card changes, no new card appears.
    bot.clock.advance(30 * SEC);
    for (let n = 26; n <= 30; n++) await post(n);
    // A folded incident resolves: the storm card counts it, no thread note is posted.
    await post(12, { status: 'resolved' });
    await bot.flush();
    messages = await bot.consoleMessages();
    expect(topLevel(messages)).toHaveLength(11);
    expect(messages.filter((m) => m.threadId !== null)).toEqual([]);
    const updated = stormCards(messages)[0]!;
    expect(updated.id).toBe(storm!.id);
    expect(updated.updatedAt).not.toBe(updated.createdAt);
    expect(updated.text).toContain('Alert storm: 20 incidents');
    expect(JSON.stringify(updated.card)).toContain('19 firing · 1 resolved');
    expect(JSON.stringify(updated.card)).toContain('INC-30');

    // A P1 during the storm is never folded.
    await post(31, { tier: 'P1' });
    await bot.flush();
    messages = await bot.consoleMessages();
    expect(topLevel(messages)).toHaveLength(12);
    expect(topLevel(messages).at(-1)!.text).toContain('[P1 FIRING]');

    // Folded incidents are still listed and can be acknowledged by id.
    expect(
      (await bot.say('/alerts')).text + JSON.stringify((await bot.consoleMessages()).at(-1)!.card),
    ).toContain('INC-29');
    expect((await bot.say('/ack INC-29')).text).toBe('INC-29 acknowledged by alice.');
    expect((await bot.store.incidents.get(29))!.acknowledgedBy).toBe('alice');
    // One action, one reply: the answer, and no thread note posted to the channel besides it.
    expect((await bot.consoleMessages()).filter((m) => m.text.includes('INC-29 acknowledged'))).toHaveLength(
      1,
    );

    // Quiet for the policy's 300 s: the periodic tick ends the storm and updates its card.
    const { lastIncidentAt } = (await bot.store.storms.current())!;
    bot.clock.set(lastIncidentAt + 299 * SEC);
    await bot.tick();
    expect(await bot.store.storms.current()).toBeDefined();
    bot.clock.set(lastIncidentAt + 300 * SEC);
    await bot.tick();
    await bot.flush();
    const ended = stormCards(await bot.consoleMessages());
    expect(ended).toHaveLength(1);
    expect(ended[0]!.text).toContain('[P2 INFO] Alert storm: 20 incidents');
    expect(JSON.stringify(ended[0]!.card)).toContain('ended {{TIME(');
    expect(JSON.stringify(ended[0]!.card)).toContain('19 still firing');
    expect(await bot.store.storms.current()).toBeUndefined();

    // After the storm, a new incident gets its own card again.
    const before = topLevel(await bot.consoleMessages()).length;
    await post(40);
    await bot.flush();
    const after = topLevel(await bot.consoleMessages());
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.text).toContain('[P2 FIRING]');
    expect(after.at(-1)!.text).not.toContain('Alert storm');
  });
});
