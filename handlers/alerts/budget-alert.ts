import type { AlertKind, ParsedAlert, Tier } from '../../core/alerts/alert.ts';
import { BUDGET_LABELS, budgetAmountOf } from './intake/azure-budget.ts';

/**
 * The kind of a Cost Management budget alert, from what its payload says rather than its name
 * (budget alerts carry no rule and no severity): an `Actual` threshold is about spend that has
 * happened (`cost-runaway`), a `Forecasted` one about spend the forecast expects (`cost-forecast`).
 * Undefined for every other alert.
 */
export function budgetKind(a: ParsedAlert): AlertKind | undefined {
  if (a.source !== 'azure-monitor') return undefined;
  const type = a.labels[BUDGET_LABELS.thresholdType];
  if (type === 'Actual') return 'cost-runaway';
  if (type === 'Forecasted') return 'cost-forecast';
  return undefined;
}

/**
 * The tier of an actual-spend budget alert. Spend at or over the budget amount is the guide's
 * "cost runaway" (P1). Azure also notifies at thresholds below the budget (50 %, 80 % …): that
 * spend has not overrun yet, so it waits for the next business day (P3) like a forecast, instead
 * of paging someone at night for a budget that still holds. Amounts that do not read as numbers
 * page: a budget alert the bot cannot read is treated as the overrun it may be.
 */
export function budgetTier(a: ParsedAlert, kind: AlertKind): { tier: Tier; reason: string } | undefined {
  if (kind !== 'cost-runaway' || budgetKind(a) !== 'cost-runaway') return undefined;
  const spent = budgetAmountOf(a.annotations, 'spent');
  const budget = budgetAmountOf(a.annotations, 'budget');
  if (spent === undefined || budget === undefined || budget <= 0)
    return { tier: 'P1', reason: 'actual spend alert of a budget whose amounts are unreadable' };
  const share = Math.round((spent / budget) * 100);
  if (spent >= budget)
    return { tier: 'P1', reason: `actual spend is ${share} % of the budget: cost runaway` };
  return { tier: 'P3', reason: `actual spend is ${share} % of the budget, not over it yet` };
}
