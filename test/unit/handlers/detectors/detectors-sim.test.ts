import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../../bot/policy.ts';
import { ManualClock } from '../../../../core/clock.ts';
import { abuseSpike } from '../../../../handlers/detectors/abuse-spike.ts';
import type { DetectorContext } from '../../../../handlers/detectors/detector.ts';
import { createDetectorContext } from '../../../../handlers/detectors/detector-context.ts';
import { modelDrift } from '../../../../handlers/detectors/model-drift.ts';
import { silentOutage } from '../../../../handlers/detectors/silent-outage.ts';
import { stalePipeline } from '../../../../handlers/detectors/stale-pipeline.ts';
import type { LogsBackend } from '../../../../queries/backends/logs-backend.ts';
import {
  DAY,
  EPISODES,
  FINETUNE_EPISODE,
  HOUR,
  INJECTION_EPISODE,
  MINUTE,
} from '../../../../sim/telemetry/profile.ts';
import { STORY_START, simulatedWorkspace } from '../../../helpers/detector-world.ts';

const context = (logs: LogsBackend, clock: ManualClock): DetectorContext =>
  createDetectorContext({
    logs,
    metrics: undefined,
    cost: defaultPolicy().cost,
    logger: undefined,
    now: clock.now(),
  });

describe('the detectors on the simulated platform', () => {
  const clock = new ManualClock(STORY_START);
  let logs: LogsBackend;
  beforeAll(() => {
    logs = simulatedWorkspace(clock, true);
  }, 60_000);

  it('model drift: names gpt-4.1’s fine-tune, with the before/after comparison', async () => {
    clock.set(STORY_START);
    const { findings, queryText } = await modelDrift.evaluate(
      modelDrift.params.parse({}),
      context(logs, clock),
    );
    const ft = findings.find((f) => f.subject === FINETUNE_EPISODE.deployment)!;
    expect(ft.summary).toBe(
      `Model regression: gpt-4.1 ${FINETUNE_EPISODE.toVersion} answers worse than ${FINETUNE_EPISODE.fromVersion}`,
    );
    expect(ft.resource).toEqual({
      deployment: 'gpt-4.1',
      model: 'gpt-4.1',
      modelVersion: FINETUNE_EPISODE.toVersion,
    });
    expect(ft.values.ungrounded_z).toBeGreaterThan(4);
    expect(ft.values.length_psi).toBeGreaterThan(0.2);
    const labels = ft.details.map((d) => d.label);
    expect(labels).toEqual([
      'Version',
      'Recent window',
      'Refused or filtered answers',
      'Ungrounded answers (evaluator score < 3)',
      'Negative feedback (of rated answers)',
      'Answer length distribution',
    ]);
    expect(ft.details.find((d) => d.label.startsWith('Ungrounded'))!.value).toMatch(
      /^5\.\d\d % → 1\d\.\d\d % \(z \d+\.\d, p < 0\.0001; \d+ vs \d+\) worse$/,
    );
    expect(queryText).toMatch(/let recent = 21600000ms;/);
    // The stable deployments are not flagged.
    for (const dep of ['gpt-4o-mini', 'o3-mini']) expect(findings.map((f) => f.subject)).not.toContain(dep);
  });

  it('model drift: before the rollout and its first hours, gpt-4.1 is not flagged', async () => {
    for (const at of [FINETUNE_EPISODE.changeAt - HOUR, FINETUNE_EPISODE.changeAt + 2 * HOUR]) {
      clock.set(STORY_START + at);
      const { findings } = await modelDrift.evaluate(modelDrift.params.parse({}), context(logs, clock));
      expect(findings.map((f) => f.subject)).not.toContain('gpt-4.1');
    }
  });

  it('silent outage: o3-mini’s 25 minutes without a success, and clear after', async () => {
    clock.set(STORY_START + EPISODES.outageFrom + 20 * MINUTE);
    const during = await silentOutage.evaluate(silentOutage.params.parse({}), context(logs, clock));
    expect(during.findings.map((f) => f.subject)).toEqual(['o3-mini']);
    expect(during.findings[0]!.details[2]!.value).toBe('503');
    clock.set(STORY_START + EPISODES.outageFrom + (EPISODES.outageMinutes + 10) * MINUTE);
    const after = await silentOutage.evaluate(silentOutage.params.parse({}), context(logs, clock));
    expect(after.findings).toEqual([]);
  });

  it('abuse: agent-api’s jailbreak campaign, by app role and operation and never by user; clear after', async () => {
    clock.set(STORY_START + INJECTION_EPISODE.from + 30 * MINUTE);
    const during = await abuseSpike.evaluate(abuseSpike.params.parse({}), context(logs, clock));
    expect(during.findings.map((f) => f.subject)).toEqual(['agent-api POST /agent/run']);
    const text = JSON.stringify(during.findings);
    expect(text).not.toMatch(/user-\d+|10\.\d+\.\d+\.0/);
    expect(during.findings[0]!.summary).toMatch(
      /^Jailbreak spike: agent-api POST \/agent\/run flagged \d+\.\d\d % of requests$/,
    );
    clock.set(STORY_START + INJECTION_EPISODE.from + (INJECTION_EPISODE.minutes + 70) * MINUTE);
    expect((await abuseSpike.evaluate(abuseSpike.params.parse({}), context(logs, clock))).findings).toEqual(
      [],
    );
    clock.set(STORY_START);
    expect((await abuseSpike.evaluate(abuseSpike.params.parse({}), context(logs, clock))).findings).toEqual(
      [],
    );
  });

  it('stale pipeline: the tickets index stopped nine hours before the scenario', async () => {
    clock.set(STORY_START);
    const { findings } = await stalePipeline.evaluate(stalePipeline.params.parse({}), context(logs, clock));
    expect(findings.map((f) => f.subject)).toEqual([EPISODES.stalePipeline]);
    expect(findings[0]!.summary).toMatch(
      /^Stale data: rag-index-tickets has not succeeded for 0?9:\d\d:\d\d$/,
    );
    clock.set(STORY_START + EPISODES.staleSince - HOUR);
    expect(
      (await stalePipeline.evaluate(stalePipeline.params.parse({}), context(logs, clock))).findings,
    ).toEqual([]);
  });
});

describe('a noisy but unchanged platform', () => {
  const clock = new ManualClock(STORY_START);
  let logs: LogsBackend;
  beforeAll(() => {
    logs = simulatedWorkspace(clock, false, 3 * DAY);
  }, 60_000);

  it('opens nothing over a stable day, run every eight hours (bench/detectors.ts runs whole weeks)', async () => {
    const found: string[] = [];
    for (let at = 0; at <= DAY; at += 8 * HOUR) {
      clock.set(STORY_START + at);
      for (const d of [modelDrift, silentOutage, stalePipeline, abuseSpike]) {
        const { findings } = await d.evaluate(d.params.parse({}) as never, context(logs, clock));
        found.push(...findings.map((f) => `${d.id}:${f.subject}@${at / HOUR}h`));
      }
    }
    expect(found).toEqual([]);
  }, 120_000);
});
