import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/clock.ts';
import { budgetPeriod, budgetWatch } from '../../../../handlers/detectors/budget-watch.ts';
import { createDetectorContext } from '../../../../handlers/detectors/detector-context.ts';
import { detectorsPolicy } from '../../../../handlers/detectors/detectors-policy.ts';
import type { LogsBackend } from '../../../../queries/backends/logs-backend.ts';
import { costPolicySchema } from '../../../../queries/cost/cost-policy.ts';
import { STORY_START, simulatedWorkspace } from '../../../helpers/detector-world.ts';

const COST = costPolicySchema.parse({
  budgets: [
    // The story's day at noon: about 1,716 USD in all, support 816, analytics 180, gpt-4o 991.
    { name: 'platform-daily', period: 'daily', amount: 1000 },
    { name: 'gpt-4o-daily', period: 'daily', amount: 800, deployment: 'gpt-4o' },
    { name: 'support-daily', period: 'daily', amount: 700, team: 'support' },
    { name: 'analytics-daily', period: 'daily', amount: 200, team: 'analytics' },
    { name: 'gpt-4-1-daily', period: 'daily', amount: 2000, deployment: 'gpt-4.1' },
    // Half a day into December: too early for a monthly forecast, but 86 % spent.
    { name: 'platform-monthly', period: 'monthly', amount: 2000 },
  ],
});

describe('the budget watch on the simulated platform', () => {
  const clock = new ManualClock(STORY_START);
  let logs: LogsBackend;
  const notes: string[] = [];
  beforeAll(() => {
    logs = simulatedWorkspace(clock, true);
  }, 60_000);

  async function run(at: number) {
    clock.set(at);
    notes.length = 0;
    const logger = {
      info: (fields: object, msg: string) => notes.push(`${(fields as { budget: string }).budget}: ${msg}`),
    } as never;
    return budgetWatch.evaluate(
      budgetWatch.params.parse({}),
      createDetectorContext({ logs, metrics: undefined, cost: COST, logger, now: at }),
    );
  }

  it('spend 120 % of a budget or more is a P1 cost runaway naming who spends; over it or heading over it a P3', async () => {
    const { findings, queryText } = await run(STORY_START);
    const bySubject = Object.fromEntries(findings.map((f) => [f.subject, f]));
    expect(Object.keys(bySubject).sort()).toEqual([
      'analytics-daily:forecast',
      'gpt-4o-daily',
      'platform-daily',
      'support-daily:forecast',
    ]);
    const total = bySubject['platform-daily']!;
    expect([total.kind, total.tier]).toEqual(['cost-runaway', 'P1']);
    expect(total.summary).toMatch(
      /^Cost runaway: platform-daily spent 1,7\d\d\.\d\d USD today \(UTC\), 17\d\.\d % of its 1,000\.00 USD budget$/,
    );
    const facts = Object.fromEntries(total.details.map((d) => [d.label, d.value]));
    expect(facts.Budget).toBe('platform-daily (daily, all spend)');
    expect(facts.Amount).toBe('1,000.00 USD');
    expect(facts.Threshold).toBe('120.0 % of the budget, spent (P1)');
    expect(facts['Top teams']).toMatch(
      /^support 8\d\d\.\d\d USD, agents 4\d\d\.\d\d USD, search 2\d\d\.\d\d USD$/,
    );
    expect(facts['Top deployments (tokens)']).toMatch(/^gpt-4o 9\d\d\.\d\d USD, gpt-4\.1/);
    // A day's linear forecast at noon: twice the spend so far.
    expect(total.values.forecast).toBeCloseTo(2 * total.values.spent!, 0);
    // A deployment's budget names the teams calling it.
    const gpt4o = Object.fromEntries(bySubject['gpt-4o-daily']!.details.map((d) => [d.label, d.value]));
    expect(gpt4o['Top teams calling it']).toMatch(/^support \d+\.\d\d USD/);
    expect(bySubject['gpt-4o-daily']!.resource).toEqual({ deployment: 'gpt-4o' });
    // support: 116 % spent, over but not 20 % over: a P3; analytics: 90 % at noon, heading for 180 %.
    for (const s of ['support-daily:forecast', 'analytics-daily:forecast']) {
      expect([bySubject[s]!.kind, bySubject[s]!.tier]).toEqual(['cost-forecast', 'P3']);
    }
    const analytics = Object.fromEntries(
      bySubject['analytics-daily:forecast']!.details.map((d) => [d.label, d.value]),
    );
    expect(analytics['Top deployments (tokens)']).toMatch(/USD/);
    expect(analytics.Threshold).toBe('100 % of the budget, forecast (P3)');
    expect(queryText).toMatch(/^let /m);
    // platform-monthly: 86 % of the month's budget, too early to forecast: a log line only.
    expect(notes).toEqual([
      expect.stringMatching(/^platform-monthly: budget platform-monthly: 8\d\.\d % spent/),
    ]);
  }, 60_000);

  it('a new day starts from nothing: the daily budgets are clear, and there is no forecast in its first hours', async () => {
    const { findings } = await run(Date.parse('2026-12-02T00:40:00Z'));
    expect(findings.filter((f) => f.labels?.budget_period === 'daily')).toEqual([]);
  }, 60_000);

  it('without budgets it runs no query', async () => {
    const none = await budgetWatch.evaluate(budgetWatch.params.parse({}), {
      ...createDetectorContext({
        logs,
        metrics: undefined,
        cost: costPolicySchema.parse({}),
        logger: undefined,
        now: STORY_START,
      }),
      spend: () => {
        throw new Error('no spend query without budgets');
      },
    });
    expect(none.findings).toEqual([]);
  });

  it('a month’s period is its calendar length', () => {
    const p = budgetPeriod({ period: 'monthly' }, Date.parse('2027-02-10T00:00:00Z'));
    expect(p.lengthMs).toBe(28 * 86_400_000);
    expect(p.elapsedMs).toBe(9 * 86_400_000);
  });

  it('the policy cannot set the tier of a detector whose findings carry their own', () => {
    const r = detectorsPolicy.safeParse({ rules: { 'budget-watch': { tier: 'P2' } } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe(
      "budget-watch sets each finding's tier (spend 120 % of a budget or more P1, a forecast over it P3); leave tier out",
    );
    expect(
      detectorsPolicy.safeParse({ rules: { 'budget-watch': { params: { overrun: 1.5 } } } }).success,
    ).toBe(true);
  });
});
