import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../../../cards/render/adaptive-card.ts';
import { toBlockKit } from '../../../../cards/render/block-kit.ts';
import { capacityCard } from '../../../../cards/templates/capacity-card.ts';
import { costCard } from '../../../../cards/templates/cost-card.ts';
import { engineeringCard } from '../../../../cards/templates/engineering-card.ts';
import { statusCard } from '../../../../cards/templates/status-card.ts';
import type { SpendLine, SpendReport } from '../../../../queries/cost/spend-report.ts';
import { rendererProblems, schemaErrors } from '../../../helpers/adaptive-card-validation.ts';
import { findBlockViolations } from '../../../servers/slack/block-limits.ts';

const NOW = Date.parse('2026-11-28T09:00:00Z');
const MIN = 60_000;
const time = { timeZone: 'Europe/Amsterdam', now: NOW };
const chart = (n: number) => ({
  url: `https://bot.example.com/view-charts/${'ab'.repeat(15)}${n}0.png`,
  alt: `chart ${n}`,
});
/** Text a sender or telemetry controls: shown as text, never as markup. */
const HOSTILE = '*bold* <!channel> [x](http://evil.example)';

const line = (name: string, tokenCost: number, gpuCost = 0): SpendLine => ({
  name,
  tokens: Math.round(tokenCost * 400),
  tokenCost,
  gpuHours: gpuCost / 12.29,
  gpuCost,
  total: tokenCost + gpuCost,
});
const report: SpendReport = {
  currency: 'USD',
  startMs: Date.parse('2026-11-28T00:00:00Z'),
  endMs: NOW,
  filter: {},
  total: 2311.48,
  tokenCost: 1004.2,
  gpuCost: 1307.28,
  tokens: 401_680_000,
  gpuHours: 106.4,
  unpricedTokens: 0,
  unpricedGpuHours: 0,
  byTeam: [
    line('research', 12.5, 983.2),
    line('support', 541.3, 324.08),
    line('search', 287.5),
    line(HOSTILE, 1),
  ],
  byDeployment: [line('gpt-4o', 580.1), line('gpt-4.1', 262.4), line('o3-mini', 147.6)],
  byModel: [line('gpt-4o 2024-11-20', 580.1), line('gpt-4.1 2025-04-14', 262.4)],
  byGpuModel: [line('NVIDIA H100 80GB HBM3', 0, 1307.28)],
  tokenCostByBucket: [],
  gpuCoveredFrom: Date.parse('2026-11-28T00:00:00Z'),
  unmappedNamespaces: ['kube-system'],
};

const cards = {
  'view-status': statusCard({
    time,
    windowMs: 24 * 60 * MIN,
    slaTarget: 99.9,
    currency: 'USD',
    deployments: [
      {
        deployment: 'gpt-4o',
        requests: 412_000,
        throttled: 2_310,
        errors5xx: 12,
        availability: 99.43,
        lastHour: 91.2,
      },
      {
        deployment: 'gpt-4o-mini',
        requests: 388_000,
        throttled: 0,
        errors5xx: 3,
        availability: 99.99,
        lastHour: 100,
      },
      {
        deployment: HOSTILE,
        requests: 10,
        throttled: 0,
        errors5xx: 0,
        availability: 100,
        lastHour: undefined,
      },
    ],
    overall: {
      deployment: '*',
      requests: 800_010,
      throttled: 2_310,
      errors5xx: 15,
      availability: 99.71,
      lastHour: 95.6,
    },
    users: 1_284,
    spendToday: { label: 'today', spent: 2311.48, budget: 5000 },
    spendMonth: { label: 'this month', spent: 48_120.5, budget: 60_000 },
    todayPace: 6163.95,
    dailyMean: 1733.2,
    openP1: 1,
    openP2: 3,
    mttaMs: 4 * MIN,
    mttrMs: 38 * MIN,
    byTier: { P1: { mttaMs: 2 * MIN, mttrMs: 21 * MIN } },
    incidentWindowMs: 30 * 24 * 60 * MIN,
    chart: chart(1),
    queryMs: 412,
    renderMs: 96,
  }),
  'view-cost': costCard({ report, rangeLabel: 'today (UTC)', time, queryMs: 233 }),
  'view-engineering': engineeringCard({
    time,
    windowMs: 60 * MIN,
    deployment: undefined,
    latencySloMs: 2000,
    latency: [
      { deployment: 'gpt-4o', requests: 17_040, p50: 885, p95: 4013, p99: 4802 },
      { deployment: 'gpt-4.1', requests: 9_130, p50: 957, p95: 2347, p99: 2807 },
      { deployment: 'gpt-4o-mini', requests: 14_800, p50: 339, p95: 812, p99: 1015 },
      { deployment: HOSTILE, requests: 3, p50: 10, p95: 10, p99: 10 },
    ],
    endpoints: [
      { endpoint: 'POST /chat', requests: 8_400, errors4xx: 1_120, errors5xx: 0 },
      { endpoint: 'POST /batch/item', requests: 3_000, errors4xx: 0, errors5xx: 240 },
      { endpoint: 'POST /embed', requests: 6_200, errors4xx: 0, errors5xx: 0 },
    ],
    spikes: [
      { endpoint: 'POST /batch/item', kind: '5xx', at: NOW - 20 * MIN, rate: 26.09 },
      { endpoint: 'POST /chat', kind: '4xx', at: NOW - 10 * MIN, rate: 16.67 },
    ],
    throughput: [
      { deployment: 'gpt-4o-mini', requestsPerSec: 8.2, tokensPerSec: 14_333 },
      { deployment: 'gpt-4o', requestsPerSec: 5.9, tokensPerSec: 5_138 },
    ],
    gpuNodes: 8,
    charts: [chart(1), chart(2), chart(3), chart(4)],
    queryMs: 104,
    renderMs: 720,
  }),
  'view-capacity': capacityCard({
    time,
    currency: 'USD',
    quota: [
      {
        region: 'eastus2',
        families: [
          { name: 'Standard NDSH100v5 Family vCPUs', used: 1_056, limit: 1_152 },
          { name: 'Standard NCADS_A100_v4 Family vCPUs', used: 0, limit: 96 },
        ],
      },
      {
        region: 'swedencentral',
        families: [{ name: 'Standard NCADS_A100_v4 Family vCPUs', used: 24, limit: 96 }],
      },
    ],
    regionsConfigured: 2,
    hpas: [{ name: 'ml/llm-api', min: 2, max: 10, current: 3 }],
    pools: [{ pool: 'gpu', nodes: 8, max: undefined, autoscaling: undefined }],
    nodePoolsConfigured: false,
    days: 6,
    lastDay: 1_412_300,
    perDayChange: 8_214,
    projections: [
      { days: 30, requestsPerDay: 1_658_720 },
      { days: 60, requestsPerDay: 1_905_140 },
      { days: 90, requestsPerDay: 2_151_560 },
    ],
    monthSpent: 48_120.5,
    monthBudget: { name: 'platform-monthly', amount: 60_000 },
    burnPerDay: 1_750.2,
    daysLeft: 6.8,
    chart: chart(1),
    queryMs: 371,
    renderMs: 58,
  }),
};

/** Teams refuses a message over about 28 KB; Slack a message over 50 blocks (checked by block-limits). */
const TEAMS_MAX_BYTES = 28_000;

describe('view cards (executive, engineering, capacity, cost)', () => {
  it.each(Object.entries(cards))(
    '%s matches its Adaptive Card golden file, the 1.5 schema and the size limit',
    async (name, m) => {
      const card = toAdaptiveCard(m);
      expect(schemaErrors(card)).toEqual([]);
      expect(rendererProblems(card)).toEqual([]);
      const json = JSON.stringify(card);
      expect(Buffer.byteLength(json)).toBeLessThan(TEAMS_MAX_BYTES);
      await expect(`${JSON.stringify(card, null, 2)}\n`).toMatchFileSnapshot(
        `../../../golden/adaptive-card/${name}.json`,
      );
    },
  );

  it.each(Object.entries(cards))(
    '%s matches its Block Kit golden file within Slack limits',
    async (name, m) => {
      const out = toBlockKit(m);
      expect(findBlockViolations(out.blocks)).toEqual([]);
      await expect(`${JSON.stringify(out, null, 2)}\n`).toMatchFileSnapshot(
        `../../../golden/block-kit/${name}.json`,
      );
    },
  );

  it('shows telemetry text as text: no markup, no mention on either platform', () => {
    for (const m of Object.values(cards)) {
      const slack = JSON.stringify(toBlockKit(m));
      expect(slack).not.toContain('<!channel>');
      const teams = JSON.stringify(toAdaptiveCard(m));
      expect(teams).not.toContain('[x](http://evil.example)');
    }
  });

  it('says what is not configured instead of showing zeros', () => {
    const text = JSON.stringify(cards['view-capacity']);
    expect(text).toContain('unknown: the policy names no AKS cluster (remediation.aks)');
    expect(text).toContain('GPU quota 90 % used or more: Standard NDSH100v5 Family vCPUs in eastus2.');
  });
});
