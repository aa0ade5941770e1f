import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import type { EvidenceItem, IncidentEvidence } from '../../core/evidence.ts';
import { aiPlatformIncidents, type ScenarioStep } from '../../sim/scenarios/ai-platform-incidents.ts';
import { openSqliteEvidenceRepo } from '../../store/evidence/sqlite-evidence-repo.ts';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';

/** An ok item's rows as objects by column name (the stored evidence keeps text cells). */
function records(item: EvidenceItem | undefined): Record<string, string>[] {
  if (item?.outcome.status !== 'ok') throw new Error(`${item?.queryId}: ${JSON.stringify(item?.outcome)}`);
  const { columns, rows } = item.outcome;
  if (process.env.SHOW_EVIDENCE) console.log(item.queryId, columns, rows.slice(0, 3));
  // Headers carry the unit ("ThrottleRate (%)"); cells are the shown text.
  const names = columns.map((c) => c.replace(/ \(.*\)$/, ''));
  return rows.map((row) => Object.fromEntries(names.map((c, i) => [c, row[i]!])));
}

/**
 * The local scenario's 429 storm and latency regression, played through the real bot in local
 * mode (every log source, the metrics API): the throttling incident's evidence draws from every
 * source that records the storm, and the latency incident's evidence names the slow stage.
 */
describe('evidence from every source of the platform (real bot, local mode)', () => {
  let bot: TestBot;
  const clock = new ManualClock();
  let steps: ScenarioStep[];
  let startMs: number;
  const step = (what: RegExp): ScenarioStep => steps.find((s) => what.test(s.what))!;
  const play = async (s: ScenarioStep) => {
    clock.set(Math.max(clock.now(), startMs + s.atMs));
    const res = await bot.postAlert(s.source, s.body);
    expect(res.status).toBeLessThan(300);
    await bot.flush();
  };
  /** The stored evidence of the incident whose items include `queryId`, once it is complete. */
  const evidenceWith = async (queryId: string, items: number): Promise<IncidentEvidence> => {
    const repo = openSqliteEvidenceRepo(join(bot.dataDir, 'bot.db'));
    try {
      let found: IncidentEvidence | undefined;
      await vi.waitFor(
        async () => {
          await bot.flush();
          const saved = await repo.listSince(0, 20);
          found = saved.map((s) => s.evidence).find((e) => e.items.some((i) => i.queryId === queryId));
          expect(found?.items.length).toBe(items);
        },
        { timeout: 60_000, interval: 200 },
      );
      return found!;
    } finally {
      await repo.close();
    }
  };

  beforeAll(async () => {
    bot = await startTestBot({}, clock, { localPlatform: true });
    startMs = clock.now();
    steps = aiPlatformIncidents(startMs);
    // Build the week of telemetry (and the derived tables these incidents read) before the alerts,
    // so the evidence budget is spent on the queries, not on a loaded machine's start-up.
    for (const id of ['throttle-rate', 'apim-policy-rejections', 'pipeline-stage-latency', 'queue-depth'])
      await bot.say(`/kql ${id}`);
  }, 180_000);
  afterAll(async () => {
    if (process.env.SHOW_EVIDENCE)
      console.log(bot.logs.filter((l) => l.includes('"incident evidence collected"')).join('\n'));
    await bot?.stop();
  });

  it('a 429 incident shows the storm as the app, the resource log, the gateway, the exported metrics and the Metrics API record it', async () => {
    await play(step(/gpt-4o throttled/));
    const evidence = await evidenceWith('apim-policy-rejections', 7);
    const byId = new Map(evidence.items.map((i) => [i.queryId, i]));
    expect([...byId.keys()]).toEqual([
      'throttle-rate',
      'aoai-resource-errors',
      'apim-tokens-by-subscription',
      'apim-policy-rejections',
      'aoai-exported-volume',
      'aoai-requests-by-status',
      'aoai-ptu-utilization',
    ]);
    for (const item of evidence.items) expect(item.outcome.status, item.queryId).toBe('ok');
    // The application's and the resource's own throttle rates are over the 5 % alert threshold.
    expect(
      Math.max(...records(byId.get('throttle-rate')).map((r) => Number(r.ThrottleRate))),
    ).toBeGreaterThan(5);
    expect(
      Math.max(...records(byId.get('aoai-resource-errors')).map((r) => Number(r.ThrottleRate))),
    ).toBeGreaterThan(5);
    // The gateway: chat-api's subscription burns most of gpt-4o; the token-limit policy turned the
    // notebook subscription away with 429s, and the backend's own 429s reached chat-api.
    const consumers = records(byId.get('apim-tokens-by-subscription'));
    expect(consumers.every((r) => r.Deployment === 'gpt-4o')).toBe(true);
    expect(consumers[0]!.Subscription).toBe('chat-api-prod');
    const rejections = records(byId.get('apim-policy-rejections'));
    expect(rejections).toContainEqual(
      expect.objectContaining({ Subscription: 'sandbox-notebooks', Cause: 'llm-token-limit' }),
    );
    expect(rejections.find((r) => r.Subscription === 'sandbox-notebooks')!.Throttled).not.toBe('0');
    expect(rejections).toContainEqual(
      expect.objectContaining({ Subscription: 'chat-api-prod', Cause: 'backend' }),
    );
    // The exported metrics: tokens per minute against the resource's quota; the Metrics API: 429s by status.
    expect(records(byId.get('aoai-exported-volume')).length).toBeGreaterThan(0);
    expect(records(byId.get('aoai-requests-by-status')).some((r) => Object.values(r).includes('429'))).toBe(
      true,
    );
  }, 120_000);

  it('a latency incident shows the slow stage: LLM inference, slower than its baseline while the other stages are not', async () => {
    await play(step(/latency regression/));
    const evidence = await evidenceWith('pipeline-stage-latency', 6);
    const byId = new Map(evidence.items.map((i) => [i.queryId, i]));
    const stages = records(byId.get('pipeline-stage-latency'));
    const slowest = stages.reduce((a, b) => (Number(b.Slowdown) > Number(a.Slowdown) ? b : a));
    expect(slowest.Stage).toBe('llm-inference');
    expect(Number(slowest.Slowdown)).toBeGreaterThan(1.5);
    for (const s of stages.filter((r) => r.Stage !== 'llm-inference'))
      expect(Number(s.Slowdown), s.Stage).toBeLessThan(1.2);
    expect(byId.get('pipeline-stage-latency')!.outcome).toMatchObject({
      headline: { text: expect.stringMatching(/^Stage P95 .* on llm-inference/) },
    });
    const traces = records(byId.get('slowest-traces'));
    expect(traces.length).toBeGreaterThan(0);
    expect(traces.every((t) => t.SlowestStage === 'llm-inference' && t.Deployment === 'gpt-4o')).toBe(true);
    // The rollout two hours before lines up with the change; chat-api's queue backed up behind it.
    const rollout = records(byId.get('deployment-latency-change'))[0]!;
    expect(rollout).toMatchObject({ Deployment: 'gpt-4o', ToVersion: '2024-11-20' });
    expect(Number(rollout.Change)).toBeGreaterThan(1.5);
    const queue = records(byId.get('queue-depth')).filter((r) => r.AppRole === 'chat-api');
    expect(queue.some((r) => r.Sustained === 'true')).toBe(true);
  }, 120_000);
});
