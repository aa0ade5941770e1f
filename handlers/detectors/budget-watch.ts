import { z } from 'zod';
import { money, share } from '../../cards/templates/money.ts';
import { durationMs } from '../../core/duration.ts';
import { type Budget, budgetScope, type CostPolicy } from '../../queries/cost/cost-policy.ts';
import type { SpendLine, SpendReport } from '../../queries/cost/spend-report.ts';
import { startOfUtcDay, startOfUtcMonth } from '../views/view-range.ts';
import { type DetectorContext, defineDetector, type Finding } from './detector.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const params = z.object({
  /** Spend at this share of the budget or more is a cost runaway (P1): the guide's "over by 20 %". */
  overrun: z.number().min(1).max(10).default(1.2),
  /** Spend at this share or more, and not a finding, is written to the log only. */
  notice: z.number().min(0.1).max(1).default(0.8),
  /** A daily budget's forecast needs this much of the day behind it: the first minutes say little. */
  forecastAfterDay: durationMs({ min: 15 * 60_000, max: 12 * HOUR }).prefault('2h'),
  /** A monthly budget's forecast needs this much of the month behind it. */
  forecastAfterMonth: durationMs({ min: HOUR, max: 15 * DAY }).prefault('3d'),
});
type Params = z.output<typeof params>;

/** Where a budget's period stands at `now`: its start, its length and how much of it has passed. */
export function budgetPeriod(b: Pick<Budget, 'period'>, now: number) {
  if (b.period === 'daily') {
    const startMs = startOfUtcDay(now);
    return { startMs, lengthMs: DAY, elapsedMs: now - startMs, label: 'today (UTC)' };
  }
  const startMs = startOfUtcMonth(now);
  const d = new Date(startMs);
  const endMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { startMs, lengthMs: endMs - startMs, elapsedMs: now - startMs, label: 'this month (UTC)' };
}

/** What a budget counts in a period's report: everything, one team's line or one deployment's. */
export function spentOn(b: Budget, r: SpendReport): number {
  const scope = budgetScope(b);
  if (scope.kind === 'total') return r.total;
  if (scope.kind === 'team') return r.byTeam.find((l) => l.name === scope.team)?.total ?? 0;
  return r.byDeployment.find((l) => l.name === scope.deployment)?.total ?? 0;
}

function scopeText(b: Budget): string {
  const scope = budgetScope(b);
  if (scope.kind === 'team') return `team ${scope.team}`;
  if (scope.kind === 'deployment') return `deployment ${scope.deployment}`;
  return 'all spend';
}

function top(lines: readonly SpendLine[], currency: string, n = 3): string {
  const spending = lines.filter((l) => l.total > 0).slice(0, n);
  return spending.length ? spending.map((l) => `${l.name} ${money(l.total, currency)}`).join(', ') : 'nobody';
}

/**
 * Who is spending a budget's money, from a report of its own scope: for everything, the teams and
 * deployments; for a team, its deployments and GPU-hours; for a deployment, the teams calling it.
 */
function spenders(b: Budget, r: SpendReport): { label: string; value: string }[] {
  const scope = budgetScope(b);
  const c = r.currency;
  if (scope.kind === 'total')
    return [
      { label: 'Top teams', value: top(r.byTeam, c) },
      { label: 'Top deployments (tokens)', value: top(r.byDeployment, c) },
    ];
  if (scope.kind === 'team')
    return [
      { label: 'Tokens', value: money(r.tokenCost, c) },
      { label: 'GPU-hours', value: `${money(r.gpuCost, c)} (${r.gpuHours} GPU-h)` },
      { label: 'Top deployments (tokens)', value: top(r.byDeployment, c) },
    ];
  return [
    { label: 'Top teams calling it', value: top(r.byTeam, c) },
    { label: 'Top model versions', value: top(r.byModel, c) },
  ];
}

interface Standing {
  budget: Budget;
  spent: number;
  forecast: number | undefined;
  period: ReturnType<typeof budgetPeriod>;
}

/** Where one budget stands: spent so far and, once enough of the period has passed, the linear forecast. */
export function standing(b: Budget, report: SpendReport, p: Params, now: number): Standing {
  const period = budgetPeriod(b, now);
  const spent = spentOn(b, report);
  const enough = b.period === 'daily' ? p.forecastAfterDay : p.forecastAfterMonth;
  const forecast =
    period.elapsedMs >= enough ? (spent * period.lengthMs) / Math.max(period.elapsedMs, 1) : undefined;
  return { budget: b, spent, forecast, period };
}

async function finding(
  s: Standing,
  overrun: number | undefined,
  ctx: DetectorContext,
  whole: SpendReport,
  cost: CostPolicy,
): Promise<Finding> {
  const b = s.budget;
  const c = cost.currency;
  const scope = budgetScope(b);
  // Who is spending: the budget's own scope, asked once more only for a budget that has a finding.
  const own =
    scope.kind === 'total'
      ? whole
      : (
          await ctx.spend({
            startMs: s.period.startMs,
            endMs: ctx.now,
            bucket: b.period === 'daily' ? '1h' : '1d',
            ...(scope.kind === 'team' ? { team: scope.team } : { deployment: scope.deployment }),
          })
        ).report;
  const forecastText = s.forecast === undefined ? 'too early to say' : money(s.forecast, c);
  const facts = [
    { label: 'Budget', value: `${b.name} (${b.period}, ${scopeText(b)})` },
    { label: 'Amount', value: money(b.amount, c) },
    {
      label: 'Spent',
      value: `${money(s.spent, c)} ${s.period.label}, ${share(s.spent, b.amount)} of the budget`,
    },
    { label: 'Forecast', value: `${forecastText} by the end of the period` },
    ...spenders(b, own),
  ];
  const resource = scope.kind === 'deployment' ? { deployment: scope.deployment } : {};
  const labels = {
    budget: b.name,
    budget_period: b.period,
    ...(scope.kind === 'team' ? { team: scope.team } : {}),
    ...(scope.kind === 'deployment' ? { deployment: scope.deployment } : {}),
  };
  const values = {
    spent: s.spent,
    budget: b.amount,
    share: Math.round((s.spent / b.amount) * 1000) / 10,
    ...(s.forecast === undefined ? {} : { forecast: Math.round(s.forecast * 100) / 100 }),
  };
  if (overrun !== undefined)
    return {
      subject: b.name,
      kind: 'cost-runaway',
      tier: 'P1',
      summary: `Cost runaway: ${b.name} spent ${money(s.spent, c)} ${s.period.label}, ${share(s.spent, b.amount)} of its ${money(b.amount, c)} budget`,
      description: `The ${b.period} budget ${b.name} (${scopeText(b)}) is ${money(b.amount, c)}; the vetted cost queries count ${money(s.spent, c)} ${s.period.label}, ${share(overrun - 1, 1)} or more over it. Who is spending: ${facts
        .slice(4)
        .map((f) => `${f.label.toLowerCase()} ${f.value}`)
        .join('; ')}. The bot found this itself; no budget alert was needed.`,
      resource,
      values,
      details: [...facts, { label: 'Threshold', value: `${share(overrun, 1)} of the budget, spent (P1)` }],
      labels,
    };
  return {
    subject: `${b.name}:forecast`,
    kind: 'cost-forecast',
    tier: 'P3',
    summary: `Cost forecast: ${b.name} heads for ${forecastText}, over its ${money(b.amount, c)} budget`,
    description: `At the pace so far (${money(s.spent, c)} ${s.period.label}), the ${b.period} budget ${b.name} (${scopeText(b)}) ends its period at ${forecastText}, over its ${money(b.amount, c)}. Worth a look in working hours.`,
    resource,
    values,
    details: [...facts, { label: 'Threshold', value: '100 % of the budget, forecast (P3)' }],
    labels,
  };
}

/**
 * The guide's cost rules, evaluated by the bot itself on the policy's budgets (`cost.budgets`)
 * through the vetted cost queries: spend at 120 % of a budget or more is a P1 cost runaway, a
 * forecast over the budget a P3, spend within 80 % of it a log line. Each budget is one subject,
 * so its incident resolves when its spend falls back (a new day or month) for `clearAfterRuns`.
 */
export const budgetWatch = defineDetector({
  id: 'budget-watch',
  title: 'Budget watch',
  description:
    'Spend today and this month (tokens × the price table, GPU-hours × the GPU-hour price) against the policy’s daily and monthly budgets.',
  queries: ['token-spend'],
  params,
  condition:
    'A budget’s spend so far is 120 % of its amount or more (P1), or its linear forecast to the end of the period is over the amount (P3).',
  kind: 'cost-runaway',
  tier: 'P1',
  findingTiers: 'spend 120 % of a budget or more P1, a forecast over it P3',
  everyMs: 15 * 60_000,
  evidence: 'token cost per team for the budget’s scope, and the cost queries’ figures',
  async evaluate(p, ctx) {
    const budgets = ctx.cost.budgets;
    if (budgets.length === 0) return { findings: [], queryText: '' };
    const reports = new Map<Budget['period'], { report: SpendReport; queryText: string }>();
    for (const period of ['daily', 'monthly'] as const) {
      if (!budgets.some((b) => b.period === period)) continue;
      const { startMs } = budgetPeriod({ period }, ctx.now);
      reports.set(
        period,
        await ctx.spend({
          startMs: Math.min(startMs, ctx.now - 60_000),
          endMs: ctx.now,
          bucket: period === 'daily' ? '1h' : '1d',
        }),
      );
    }
    const findings: Finding[] = [];
    for (const b of budgets) {
      const whole = reports.get(b.period)!.report;
      const s = standing(b, whole, p, ctx.now);
      if (s.spent >= p.overrun * b.amount) findings.push(await finding(s, p.overrun, ctx, whole, ctx.cost));
      else if (s.spent > b.amount || (s.forecast ?? 0) > b.amount)
        findings.push(await finding(s, undefined, ctx, whole, ctx.cost));
      else if (s.spent >= p.notice * b.amount)
        ctx.note(
          { code: 'BUDGET_NEAR', budget: b.name, spent: s.spent, amount: b.amount },
          `budget ${b.name}: ${share(s.spent, b.amount)} spent, within its amount`,
        );
    }
    const last = reports.get('daily') ?? reports.get('monthly');
    return { findings, queryText: last?.queryText ?? '' };
  },
});
