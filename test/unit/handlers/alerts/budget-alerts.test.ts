import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../../../bot/policy.ts';
import { classifyAlert } from '../../../../handlers/alerts/classify.ts';
import { parseMoney } from '../../../../handlers/alerts/intake/azure-budget.ts';
import { parseAzureMonitor } from '../../../../handlers/alerts/intake/azure-monitor.ts';
import { loadFixture, setAt } from './intake/fixture.ts';

const policy = defaultPolicy();
const classify = (body: unknown, p = policy) => {
  const [parsed] = parseAzureMonitor(body);
  return classifyAlert(parsed!, p);
};

describe('Azure budget alerts (Microsoft’s test-action samples) are cost kinds', () => {
  it.each([
    ['vendor/azure-test-cost-budget.json', 'cost-runaway', 'P1', 'Test_actual_cost_budget'],
    ['vendor/azure-test-forecasted-budget.json', 'cost-forecast', 'P3', 'Test_forcasted_budget'],
    ['vendor/azure-test-budget.json', 'cost-forecast', 'P3', 'Test_forcasted_budget'],
  ])('%s is %s, tier %s', (name, kind, tier, budget) => {
    const a = classify(loadFixture(name));
    expect([a.kind, a.tier]).toEqual([kind, tier]);
    expect(a.sourceSeverity).toBeNull();
    expect(a.rule).toBe(budget);
    expect(a.labels).toMatchObject({ budgetName: budget, currency: 'USD', monitoringService: 'CostAlerts' });
  });

  it('reads the amounts as numbers and leads the card with budget, amount, spent and threshold', () => {
    const a = classify(loadFixture('vendor/azure-test-cost-budget.json'));
    expect(a.annotations).toMatchObject({ budgetAmount: '50', thresholdAmount: '25', spentAmount: '11111' });
    expect(a.annotations.forecastAmount).toBeUndefined();
    expect(a.valueText).toBe('$11,111.00');
    expect(a.tierReason).toBe('actual spend is 22222 % of the budget: cost runaway');
    expect(a.details.slice(0, 5)).toEqual([
      { label: 'Budget', value: 'Test_actual_cost_budget' },
      { label: 'Budget amount', value: '$50.00 USD' },
      { label: 'Spent', value: '$11,111.00 (22,222 % of budget)' },
      { label: 'Threshold', value: '$25.00 (50 % of budget), actual spend' },
      { label: 'Scope', value: '/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/' },
    ]);
    const f = classify(loadFixture('vendor/azure-test-forecasted-budget.json'));
    expect(f.annotations).toMatchObject({ spentAmount: '999.99', forecastAmount: '1111.11' });
    expect(f.details).toContainEqual({ label: 'Forecast', value: '$1111.11 (2,222 % of budget)' });
  });

  it('an actual-spend alert below the budget amount (an 80 % threshold) waits for the business day', () => {
    const body = loadFixture('vendor/azure-test-cost-budget.json');
    setAt(body, ['data', 'alertContext', 'AlertData', 'SpentAmount'], '$41.20');
    setAt(body, ['data', 'alertContext', 'AlertData', 'NotificationThresholdAmount'], '$40.00');
    const a = classify(body);
    expect([a.kind, a.tier, a.tierReason]).toEqual([
      'cost-runaway',
      'P3',
      'actual spend is 82 % of the budget, not over it yet',
    ]);
  });

  it('unreadable amounts page rather than hide a possible overrun; an odd threshold type is still accepted', () => {
    const body = loadFixture('vendor/azure-test-cost-budget.json');
    setAt(body, ['data', 'alertContext', 'AlertData', 'SpentAmount'], 'n/a');
    expect(classify(body).tier).toBe('P1');
    setAt(body, ['data', 'alertContext', 'AlertData', 'ThresholdType'], { nested: true });
    const odd = classify(body);
    expect(odd.kind).toBe('other');
    expect(odd.details).toContainEqual({ label: 'Budget', value: 'Test_actual_cost_budget' });
  });

  it('a policy rule still wins over the budget tier', () => {
    const p = parsePolicy(
      'tiers:\n  rules:\n    - { name: sandbox budgets, match: ["budgetName=~Test_.*"], tier: P3 }\n',
    );
    expect(classify(loadFixture('vendor/azure-test-cost-budget.json'), p).tier).toBe('P3');
  });

  it('the bot’s own budget fixture (a daily budget over by 21 %) is a P1 cost runaway', () => {
    const a = classify(loadFixture('azure-budget.json'));
    expect([a.kind, a.tier]).toEqual(['cost-runaway', 'P1']);
    expect(a.annotations).toMatchObject({ spentAmount: '14520', budgetAmount: '12000' });
  });
});

describe('parseMoney', () => {
  it.each([
    ['$11,111.00', 11111],
    ['$1111.11', 1111.11],
    ['$25.00', 25],
    ['1.234,56 €', 1234.56],
    ['€ 12 000,5', 12000.5],
    ["CHF 1'234.50", 1234.5],
    ['$11,111', 11111],
    ['-$3.10', -3.1],
    ['', null],
    ['n/a', null],
  ])('%s → %s', (text, value) => {
    expect(parseMoney(text)).toBe(value);
  });
});
