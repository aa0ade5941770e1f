import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { draftPostmortem } from '../../../handlers/timeline/postmortem-draft.ts';
import { cardTables } from '../../helpers/card-tables.ts';
import { startTestBot, type TestBot } from '../../helpers/test-bot.ts';

const T0 = Date.parse('2026-12-08T01:00:00Z');
const GROUPS = 200;

/** One Alertmanager group with one alert of its own. */
function alertGroup(n: number, status: 'firing' | 'resolved') {
  const name = `InferenceLatencyHigh${n}`;
  return {
    receiver: 'chatops-bot',
    status,
    alerts: [
      {
        status,
        labels: { alertname: name, severity: 'warning', namespace: 'llm-serving', deployment: `vllm-${n}` },
        annotations: { summary: `p99 latency of replica ${n} above 2 s` },
        startsAt: '2026-12-08T00:55:00.000Z',
        endsAt: status === 'resolved' ? '2026-12-08T01:05:00.000Z' : '0001-01-01T00:00:00Z',
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

/** What the timeline costs in a storm, and how long a long incident's postmortem takes to draft. */
describe('timeline size in a storm and postmortem render time', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({}, new ManualClock(T0));
  });
  afterAll(() => bot.stop());

  it('records a bounded number of rows per incident in a storm; a long timeline still drafts fast', async () => {
    for (let n = 1; n <= GROUPS; n++) await bot.postAlert('alertmanager', alertGroup(n, 'firing'));
    await bot.flush();
    const stormCard = (await bot.consoleMessages()).find((m) => m.text.includes('Alert storm'))!;
    await fetch(`${bot.url}/api/console/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'bob', messageId: stormCard.id, verb: 'storm-ack', data: { stormId: 1 } }),
    });
    await bot.flush();
    for (let n = 1; n <= GROUPS; n++) await bot.postAlert('alertmanager', alertGroup(n, 'resolved'));
    await bot.flush();
    let rows = 0;
    let most = 0;
    for (let id = 1; id <= GROUPS; id++) {
      const { total } = await bot.store.timeline.list(id, 1);
      rows += total;
      most = Math.max(most, total);
    }
    // Opened, acknowledged, resolved; the first cards before the storm add their posts and updates.
    console.log(
      `storm of ${GROUPS} incidents: ${rows} timeline rows, ${(rows / GROUPS).toFixed(1)} per incident, at most ${most}`,
    );
    expect(most).toBeLessThanOrEqual(8);

    for (let n = 0; n < 2_000; n++)
      await bot.store.timeline.record({
        incidentId: 1,
        at: T0 + n * 1_000,
        type: n % 2 ? 'alert-fired' : 'alert-resolved',
        actor: 'bot',
        actorName: null,
        detail: `InferenceLatencyHigh1 on vllm-${n}`,
      });
    const runs = [];
    for (let r = 0; r < 5; r++)
      runs.push((await draftPostmortem(bot.store, [], 1, { timeZone: 'UTC', now: T0 })).renderMs);
    const { markdown } = await draftPostmortem(bot.store, [], 1, { timeZone: 'UTC', now: T0 });
    const median = runs.sort((a, b) => a - b)[2]!;
    console.log(
      `postmortem of a 2,000-event timeline: median ${median.toFixed(1)} ms, ${Math.round(markdown.length / 1024)} KB`,
    );
    expect(markdown).toContain('earlier events not shown');
    const timeline = await bot.say('/timeline INC-1');
    expect(cardTables(timeline.card)[0]!.length - 1).toBeLessThanOrEqual(30);
  });
});
