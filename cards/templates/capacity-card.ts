import { buildMessage, type Message, type Section, type TableCell } from '../../core/message.ts';
import { cardTime, type TimeFormat } from './format.ts';
import { money, share } from './money.ts';
import { formatNumber } from './result-format.ts';

const MAX_LINES = 8;

export interface CapacityCardInput {
  time: TimeFormat;
  currency: string;
  /** GPU VM family quota per region; undefined when no quota source is configured. */
  quota: { region: string; families: { name: string; used: number; limit: number }[] }[] | undefined;
  regionsConfigured: number;
  hpas: { name: string; min: number; max: number; current: number }[] | undefined;
  pools:
    | { pool: string; nodes: number; max: number | undefined; autoscaling: boolean | undefined }[]
    | undefined;
  nodePoolsConfigured: boolean;
  /** Full days of request volume read, the last one's total, and the trend's change per day. */
  days: number;
  lastDay: number | undefined;
  perDayChange: number | undefined;
  projections: { days: number; requestsPerDay: number }[];
  monthSpent: number;
  monthBudget: { name: string; amount: number } | undefined;
  burnPerDay: number;
  daysLeft: number | undefined;
  chart: { url: string; alt: string } | undefined;
  queryMs: number;
  renderMs: number | undefined;
}

/** Used share as a cell: attention at 90 % or more, warning from 75 %. */
function usedCell(used: number, limit: number): TableCell {
  const ratio = limit > 0 ? used / limit : 1;
  return { text: share(used, limit), tone: ratio >= 0.9 ? 'attention' : ratio >= 0.75 ? 'warning' : 'good' };
}

/**
 * The capacity view (`/capacity` and the daily digest): GPU quota per region, scaling headroom,
 * the request trend with its projection and how long the month's budget lasts at the current
 * burn rate. Whatever is not configured is said, never shown as zero.
 */
export function capacityCard(input: CapacityCardInput): Message {
  const c = input.currency;
  const sections: Section[] = [];
  const tight = (input.quota ?? []).flatMap((q) =>
    q.families.filter((f) => f.limit > 0 && f.used / f.limit >= 0.9).map((f) => `${f.name} in ${q.region}`),
  );
  if (tight.length)
    sections.push({
      kind: 'notice',
      tone: 'attention',
      text: `GPU quota 90 % used or more: ${tight.join(', ')}.`,
    });
  if (input.quota) {
    const rows = input.quota.flatMap((q) =>
      q.families.map((f): TableCell[] => [
        q.region,
        f.name,
        `${formatNumber(f.used, 0)} of ${formatNumber(f.limit, 0)} vCPUs`,
        usedCell(f.used, f.limit),
      ]),
    );
    sections.push({
      kind: 'table',
      title: 'GPU quota per region (Compute usages)',
      columns: ['Region', 'VM family', 'In use', 'Used'],
      rows: rows.slice(0, MAX_LINES),
      more: Math.max(0, rows.length - MAX_LINES),
    });
  }
  const headroomRows: TableCell[][] = [
    ...(input.pools ?? []).map((p): TableCell[] => [
      `node pool ${p.pool}`,
      `${p.nodes} nodes`,
      p.max === undefined ? 'max unknown' : p.autoscaling ? `max ${p.max}` : `manual, ${p.max}`,
      p.max === undefined
        ? '–'
        : { text: `${Math.max(0, p.max - p.nodes)}`, tone: p.max - p.nodes <= 0 ? 'attention' : 'default' },
    ]),
    ...(input.hpas ?? []).map((h): TableCell[] => [
      `HPA ${h.name}`,
      `${h.current} replicas`,
      `max ${h.max}`,
      { text: `${Math.max(0, h.max - h.current)}`, tone: h.max - h.current <= 0 ? 'attention' : 'default' },
    ]),
  ];
  if (headroomRows.length)
    sections.push({
      kind: 'table',
      title: 'Scaling headroom',
      columns: ['What', 'Now', 'Ceiling', 'Headroom'],
      rows: headroomRows.slice(0, MAX_LINES),
      more: Math.max(0, headroomRows.length - MAX_LINES),
    });
  if (input.chart) sections.push({ kind: 'image', url: input.chart.url, alt: input.chart.alt });
  const projection = input.projections.length
    ? input.projections.map((p) => `+${p.days} d: ${formatNumber(p.requestsPerDay, 0)}`).join(' · ')
    : 'needs two full days of requests';
  const burn = `${money(input.burnPerDay, c)} a day · ${money(input.monthSpent, c)} this month`;
  const lasts = !input.monthBudget
    ? 'no monthly total budget in the policy (cost.budgets)'
    : input.daysLeft === undefined
      ? `${input.monthBudget.name}: nothing spent yet`
      : `${input.monthBudget.name} (${money(input.monthBudget.amount, c)}): ${formatNumber(input.daysLeft, 1)} days left at this rate`;
  const timing =
    input.renderMs === undefined
      ? `${Math.round(input.queryMs)} ms`
      : `${Math.round(input.queryMs)} ms queries · ${Math.round(input.renderMs)} ms chart`;
  return buildMessage({
    header: {
      title: 'Capacity',
      status: tight.length ? 'warning' : 'success',
      subtitle: ['as of ', cardTime(input.time.now, input.time)],
    },
    facts: [
      [
        'Requests per day',
        input.lastDay === undefined
          ? 'no full day of requests yet'
          : `${formatNumber(input.lastDay, 0)} yesterday${
              input.perDayChange === undefined
                ? ''
                : ` · trend ${input.perDayChange >= 0 ? '+' : ''}${formatNumber(input.perDayChange, 0)} a day over ${input.days} days`
            }`,
      ],
      ['Projected requests per day', projection],
      ['Spend burn rate', burn],
      ['Budget lasts', lasts],
      ...(input.quota === undefined
        ? ([['GPU quota', 'not configured (AZURE_SUBSCRIPTION_ID and views.capacity.regions)']] as [
            string,
            string,
          ][])
        : input.regionsConfigured === 0
          ? ([['GPU quota', 'no regions in views.capacity.regions']] as [string, string][])
          : []),
      ...(input.hpas === undefined
        ? ([['Scaling headroom', 'no Kubernetes cluster configured (KUBECONFIG)']] as [string, string][])
        : !input.nodePoolsConfigured
          ? ([['Node pool ceilings', 'unknown: the policy names no AKS cluster (remediation.aks)']] as [
              string,
              string,
            ][])
          : []),
      ['Query time', timing],
    ],
    sections,
  });
}
