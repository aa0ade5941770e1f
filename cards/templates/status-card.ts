import { formatDuration } from '../../core/duration.ts';
import { buildMessage, type Message, type Section, type TableCell } from '../../core/message.ts';
import { cardTime, type TimeFormat } from './format.ts';
import { money, share } from './money.ts';
import { formatNumber } from './result-format.ts';

/** Availability of one deployment over the view's window (Deployment `*`: all together). */
export interface AvailabilityLine {
  deployment: string;
  requests: number;
  throttled: number;
  errors5xx: number;
  availability: number;
  /** Availability over the last hour: a storm shows here long before it moves the day. */
  lastHour: number | undefined;
}

/** Spend against a budget of the policy (or none). */
export interface BudgetLine {
  label: string;
  spent: number;
  budget: number | undefined;
}

export interface StatusCardInput {
  time: TimeFormat;
  windowMs: number;
  slaTarget: number;
  currency: string;
  deployments: readonly AvailabilityLine[];
  overall: AvailabilityLine | undefined;
  users: number;
  spendToday: BudgetLine;
  spendMonth: BudgetLine;
  /** Today's spend projected to a full day at its pace so far. */
  todayPace: number | undefined;
  /** The mean full day of this month before today (undefined on the 1st). */
  dailyMean: number | undefined;
  openP1: number;
  openP2: number;
  /** Means over the incidents of the last `incidentWindowMs`; undefined when none were acknowledged/resolved. */
  mttaMs: number | undefined;
  mttrMs: number | undefined;
  /** The same per tier (from the incidents' timelines), for the tiers that had incidents. */
  byTier?: Partial<Record<'P1' | 'P2' | 'P3', { mttaMs: number | undefined; mttrMs: number | undefined }>>;
  incidentWindowMs: number;
  chart: { url: string; alt: string } | undefined;
  queryMs: number;
  renderMs: number | undefined;
}

const MAX_DEPLOYMENTS = 10;

/**
 * The executive view (`/status` and the scheduled digest): SLA compliance per deployment, spend
 * today and this month against budget, requests, users, urgent incidents and response times, and
 * one availability chart. Worst news first; short enough to read on a phone.
 */
export function statusCard(input: StatusCardInput): Message {
  const breaching = input.deployments.filter((d) => d.availability < input.slaTarget);
  const over = [input.spendToday, input.spendMonth].filter(
    (b) => b.budget !== undefined && b.spent > b.budget,
  );
  const status = input.openP1 > 0 || breaching.length > 0 || over.length > 0 ? 'warning' : 'success';
  const window = formatDuration(input.windowMs);
  const sections: Section[] = [];
  const failingNow = input.deployments.filter(
    (d) => d.lastHour !== undefined && d.lastHour < input.slaTarget - 1,
  );
  if (failingNow.length > 0)
    sections.push({
      kind: 'notice',
      tone: 'attention',
      text: `Failing now (last hour): ${failingNow
        .sort((a, b) => (a.lastHour ?? 0) - (b.lastHour ?? 0))
        .map(
          (d) =>
            `${d.deployment} ${formatNumber(d.lastHour!, 2)} % (${formatNumber(d.throttled, 0)} 429s in ${window})`,
        )
        .join(', ')}.`,
    });
  if (breaching.length > 0)
    sections.push({
      kind: 'notice',
      tone: 'attention',
      text: `Below the ${input.slaTarget} % SLA over the last ${window}: ${breaching
        .map((d) => `${d.deployment} ${formatNumber(d.availability, 2)} %`)
        .join(', ')}.`,
    });
  // What is failing now comes first: the last hour, then the window.
  const shown = [...input.deployments]
    .sort((a, b) => (a.lastHour ?? 100) - (b.lastHour ?? 100) || a.availability - b.availability)
    .slice(0, MAX_DEPLOYMENTS);
  sections.push({
    kind: 'table',
    title: `Availability, last ${window} (SLA ${input.slaTarget} %)`,
    columns: ['Deployment', `Last ${window}`, 'Last hour', 'Requests', '429s'],
    rows: shown.map((d): TableCell[] => [
      d.deployment,
      {
        text: `${formatNumber(d.availability, 2)} %`,
        tone: d.availability < input.slaTarget ? 'attention' : 'good',
      },
      d.lastHour === undefined
        ? '–'
        : {
            text: `${formatNumber(d.lastHour, 2)} %`,
            tone: d.lastHour < input.slaTarget ? 'attention' : 'good',
          },
      formatNumber(d.requests, 0),
      formatNumber(d.throttled, 0),
    ]),
    more: input.deployments.length - shown.length,
  });
  if (input.chart) sections.push({ kind: 'image', url: input.chart.url, alt: input.chart.alt });
  const timing =
    input.renderMs === undefined
      ? `${Math.round(input.queryMs)} ms`
      : `${Math.round(input.queryMs)} ms queries · ${Math.round(input.renderMs)} ms chart`;
  return buildMessage({
    header: {
      title: 'Executive status',
      status,
      subtitle: ['as of ', cardTime(input.time.now, input.time)],
    },
    facts: [
      [
        'SLA',
        input.overall
          ? `${input.deployments.length - breaching.length} of ${input.deployments.length} deployments meet ${input.slaTarget} % · all: ${formatNumber(input.overall.availability, 2)} %`
          : 'no requests in the window',
      ],
      ['Spend today', budgetText(input.spendToday, input.currency, input.todayPace, input.dailyMean)],
      ['Spend this month', budgetText(input.spendMonth, input.currency, undefined, undefined)],
      [
        `Served (${window})`,
        `${formatNumber(input.overall?.requests ?? 0, 0)} requests · ${input.deployments.length} active deployments · ${formatNumber(input.users, 0)} users`,
      ],
      ['Open incidents', `${input.openP1} P1 · ${input.openP2} P2`],
      [
        `MTTA / MTTR (${formatDuration(input.incidentWindowMs)})`,
        [responseTimes(input), ...tierTimes(input)].join(' · '),
      ],
      ['Query time', timing],
    ],
    sections,
  });
}

const orDash = (ms: number | undefined) => (ms === undefined ? '–' : formatDuration(ms));

function responseTimes(t: { mttaMs: number | undefined; mttrMs: number | undefined }): string {
  return `${orDash(t.mttaMs)} / ${orDash(t.mttrMs)}`;
}

function tierTimes(input: StatusCardInput): string[] {
  return (['P1', 'P2', 'P3'] as const).flatMap((tier) => {
    const t = input.byTier?.[tier];
    return t ? [`${tier} ${responseTimes(t)}`] : [];
  });
}

function budgetText(
  line: BudgetLine,
  currency: string,
  pace: number | undefined,
  dailyMean: number | undefined,
): string {
  const spent = money(line.spent, currency);
  const budget =
    line.budget === undefined
      ? 'no budget in the policy'
      : `${share(line.spent, line.budget)} of ${money(line.budget, currency)}`;
  // The trend compares like with like: today's pace for a whole day against the month's mean day.
  const trend =
    pace === undefined
      ? ''
      : dailyMean === undefined || dailyMean <= 0
        ? ` · on pace for ${money(pace, currency)}`
        : ` · on pace for ${money(pace, currency)} ${pace >= dailyMean ? '▲' : '▼'} daily mean ${money(dailyMean, currency)}`;
  return `${spent} (${budget})${trend}`;
}
