import { z } from 'zod';
import type { AlertDetail } from '../../../core/alerts/alert.ts';
import type { Dimension } from './azure-context.ts';

/**
 * What a Cost Management budget alert (`monitoringService: "CostAlerts"`, `AlertCategory:
 * "budgets"`) says, read from its `AlertData`. Amounts arrive as formatted text (`"$11,111.00"`);
 * each is kept as the sender wrote it and as a number when it reads as one. A field that is absent
 * or unreadable is null: a budget alert is never refused for its formatting, it only loses the
 * fact it could not read.
 */
export interface BudgetReading {
  name: string | null;
  /** `Actual`: spend crossed the notification threshold; `Forecasted`: the forecast for the period did. */
  thresholdType: 'Actual' | 'Forecasted' | null;
  /** ISO currency code from `Unit` (`USD`), when it is one. */
  currency: string | null;
  budget: Money | null;
  threshold: Money | null;
  spent: Money | null;
  forecast: Money | null;
  scope: string | null;
  budgetType: string | null;
}

/** An amount as the sender wrote it and, when it reads as a number, its value. */
export interface Money {
  text: string;
  value: number | null;
}

/** The label names a budget alert carries; the classifier reads them (handlers/alerts/budget-alert.ts). */
export const BUDGET_LABELS = {
  name: 'budgetName',
  thresholdType: 'budgetThresholdType',
  currency: 'currency',
} as const;

/**
 * The annotations a budget alert carries its amounts under, as plain decimal numbers in its currency
 * (`"11111"`). Annotations rather than `values`: the card's value column then shows the amount as
 * Azure wrote it (`$11,111.00`), not four `name=number` pairs.
 */
export const BUDGET_AMOUNTS = {
  budget: 'budgetAmount',
  threshold: 'thresholdAmount',
  spent: 'spentAmount',
  forecast: 'forecastAmount',
} as const;

const text = z.string().trim().min(1).max(1024).nullish().catch(null);
const budgetData = z.object({
  BudgetName: text,
  ThresholdType: z
    .string()
    .trim()
    .transform((t) =>
      t.toLowerCase() === 'actual' ? 'Actual' : t.toLowerCase() === 'forecasted' ? 'Forecasted' : null,
    )
    .nullish()
    .catch(null),
  Unit: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/)
    .transform((u) => u.toUpperCase())
    .nullish()
    .catch(null),
  BudgetThreshold: text,
  NotificationThresholdAmount: text,
  SpentAmount: text,
  ForecastedTotalForPeriod: text,
  Scope: text,
  BudgetType: text,
});

/** True when the essentials and context say this is a Cost Management budget alert. */
export function isBudgetAlert(
  monitoringService: string | null | undefined,
  context: Record<string, unknown>,
): boolean {
  return monitoringService === 'CostAlerts' || context.AlertCategory === 'budgets';
}

/** Reads a budget alert's `AlertData` (already cut to scalar text by `azureProperties`). */
export function readBudget(alertData: Readonly<Record<string, string>>): BudgetReading {
  const d = budgetData.parse(alertData);
  return {
    name: d.BudgetName ?? null,
    thresholdType: d.ThresholdType ?? null,
    currency: d.Unit ?? null,
    budget: money(d.BudgetThreshold),
    threshold: money(d.NotificationThresholdAmount),
    spent: money(d.SpentAmount),
    forecast: money(d.ForecastedTotalForPeriod),
    scope: d.Scope ?? null,
    budgetType: d.BudgetType ?? null,
  };
}

/**
 * Reads a formatted amount: a currency sign or code around digits grouped with `,`, `.`, spaces or
 * apostrophes. The last separator followed by one or two digits is the decimal one (`$1,234.56`,
 * `1.234,56 €`); with three digits after it, it groups thousands (`$11,111`).
 */
export function parseMoney(raw: string): number | null {
  const body = raw.replace(/[^\d.,'\u00a0\u202f -]/g, '').trim();
  const negative = /^-/.test(body) || /^\(.*\)$/.test(raw.trim());
  const digits = body.replace(/^-/, '').replace(/[\s'\u00a0\u202f]/g, '');
  if (!/^\d[\d.,]*$/.test(digits)) return null;
  const lastSep = Math.max(digits.lastIndexOf('.'), digits.lastIndexOf(','));
  let whole = digits;
  let fraction = '';
  if (lastSep >= 0 && digits.length - lastSep - 1 <= 2) {
    whole = digits.slice(0, lastSep);
    fraction = digits.slice(lastSep + 1);
  }
  const wholeDigits = whole.replace(/[.,]/g, '');
  if (wholeDigits === '' && fraction === '') return null;
  const value = Number(`${wholeDigits || '0'}.${fraction || '0'}`);
  if (!Number.isFinite(value)) return null;
  return negative ? -value : value;
}

function money(raw: string | null | undefined): Money | null {
  if (!raw) return null;
  return { text: raw, value: parseMoney(raw) };
}

/** The labels a budget alert adds: its name, threshold type and currency, for matchers and the classifier. */
export function budgetLabels(b: BudgetReading): Dimension[] {
  const out: Dimension[] = [];
  if (b.name) out.push({ name: BUDGET_LABELS.name, value: b.name });
  if (b.thresholdType) out.push({ name: BUDGET_LABELS.thresholdType, value: b.thresholdType });
  if (b.currency) out.push({ name: BUDGET_LABELS.currency, value: b.currency });
  return out;
}

/** The amounts that read as numbers, under {@link BUDGET_AMOUNTS}. */
export function budgetAmounts(b: BudgetReading): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['budget', 'threshold', 'spent', 'forecast'] as const) {
    const value = b[key]?.value;
    if (value !== null && value !== undefined) out[BUDGET_AMOUNTS[key]] = String(value);
  }
  return out;
}

/** A budget alert's amount under `key` of {@link BUDGET_AMOUNTS}, when it read as a number. */
export function budgetAmountOf(
  annotations: Readonly<Record<string, string>>,
  key: keyof typeof BUDGET_AMOUNTS,
): number | undefined {
  const text = annotations[BUDGET_AMOUNTS[key]];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * What the card leads with: the budget, its amount, what was spent (and the forecast), and the
 * threshold that fired, each share of the budget written out so nobody divides on a phone.
 */
export function budgetDetails(b: BudgetReading): AlertDetail[] {
  const share = (m: Money | null) => {
    const budget = b.budget?.value;
    if (!m || m.value === null || !budget || budget <= 0) return m?.text ?? null;
    return `${m.text} (${formatShare(m.value / budget)} of budget)`;
  };
  const threshold = b.threshold
    ? `${share(b.threshold)}${b.thresholdType ? `, ${b.thresholdType.toLowerCase()} spend` : ''}`
    : null;
  const pairs: [string, string | null][] = [
    ['Budget', b.name],
    ['Budget amount', b.budget ? withCurrency(b.budget.text, b.currency) : null],
    ['Spent', share(b.spent)],
    ['Forecast', share(b.forecast)],
    ['Threshold', threshold],
    ['Scope', b.scope],
  ];
  return pairs
    .filter((p): p is [string, string] => !!p[1])
    .map(([label, value]) => ({ label, value: value.slice(0, 1024) }));
}

function formatShare(ratio: number): string {
  const pct = ratio * 100;
  const digits = pct >= 100 ? 0 : 1;
  return `${pct.toLocaleString('en-US', { maximumFractionDigits: digits })} %`;
}

function withCurrency(text: string, currency: string | null): string {
  return currency && !text.toUpperCase().includes(currency) ? `${text} ${currency}` : text;
}
