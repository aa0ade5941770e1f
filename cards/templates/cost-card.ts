import { buildMessage, type Message, type Section } from '../../core/message.ts';
import type { SpendLine, SpendReport } from '../../queries/cost/spend-report.ts';
import { cardTime, type TimeFormat } from './format.ts';
import { gpuHoursText, money, tokenCount } from './money.ts';

/** Lines per table: a phone screen's worth; the rest are counted. */
const MAX_LINES = 8;

export interface CostCardInput {
  report: SpendReport;
  /** What the range is called on the card (`today`, `this month`, `last 7d`). */
  rangeLabel: string;
  time: TimeFormat;
  /** Query time of the cost queries, ms: shown so a slow backend is visible. */
  queryMs: number;
}

/**
 * `/cost`: spend by team, deployment, model and GPU model over a range, every amount in the
 * policy's currency, with tokens and GPU-hours beside it and what could not be priced said.
 */
export function costCard(input: CostCardInput): Message {
  const { report: r, time } = input;
  const subject = r.filter.team
    ? `team ${r.filter.team}`
    : r.filter.deployment
      ? `deployment ${r.filter.deployment}`
      : 'all teams';
  const sections: Section[] = [];
  const notes: string[] = [];
  if (r.unpricedTokens > 0)
    notes.push(
      `${tokenCount(r.unpricedTokens)} of deployments missing from the price table (pricing) are not counted.`,
    );
  if (r.unpricedGpuHours > 0)
    notes.push(
      `${gpuHoursText(r.unpricedGpuHours)} of GPU models missing from cost.gpuHourPrices are not counted.`,
    );
  if (r.unmappedNamespaces.length > 0)
    notes.push(`GPU namespaces without a team in cost.teams: ${r.unmappedNamespaces.join(', ')}.`);
  if (r.gpuCoveredFrom !== null && r.gpuCoveredFrom > r.startMs + 60 * 60_000 && !r.filter.deployment)
    notes.push(
      'GPU metrics do not reach back to the start of the range: GPU-hours cover only the part they hold.',
    );
  if (notes.length) sections.push({ kind: 'notice', tone: 'warning', text: notes.join(' ') });
  if (!r.filter.deployment) sections.push(table('By team', 'Team', r.byTeam, r.currency, true));
  if (!r.filter.team || r.byDeployment.length > 1)
    sections.push(table('By deployment (tokens)', 'Deployment', r.byDeployment, r.currency, false));
  sections.push(table('By model version (tokens)', 'Model', r.byModel, r.currency, false));
  if (r.byGpuModel.length) sections.push(table('By GPU model', 'GPU model', r.byGpuModel, r.currency, true));
  return buildMessage({
    header: {
      title: `Spend ${input.rangeLabel}: ${money(r.total, r.currency)}`,
      status: 'info',
      subtitle: [subject, ' · ', cardTime(r.startMs, time), ' – ', cardTime(r.endMs, time)],
    },
    facts: [
      ['Tokens', `${money(r.tokenCost, r.currency)} · ${tokenCount(r.tokens)}`],
      ...(r.filter.deployment
        ? []
        : ([['GPU', `${money(r.gpuCost, r.currency)} · ${gpuHoursText(r.gpuHours)}`]] as [string, string][])),
      ['Query time', `${Math.round(input.queryMs)} ms`],
    ],
    sections,
  });
}

function table(
  title: string,
  first: string,
  lines: readonly SpendLine[],
  currency: string,
  gpu: boolean,
): Section {
  const shown = lines.slice(0, MAX_LINES);
  return {
    kind: 'table',
    title,
    columns: gpu
      ? [first, `Total (${currency})`, 'Tokens', 'GPU-hours']
      : [first, `Cost (${currency})`, 'Tokens'],
    rows: shown.map((l) =>
      gpu
        ? [l.name, money(l.total, currency), tokenCount(l.tokens), gpuHoursText(l.gpuHours)]
        : [l.name, money(l.tokenCost, currency), tokenCount(l.tokens)],
    ),
    more: lines.length - shown.length,
  };
}
