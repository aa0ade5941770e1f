import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../../../bot/policy.ts';
import { classifyAlert } from '../../../../handlers/alerts/classify.ts';
import { parsed } from '../../../helpers/alerts.ts';

const policy = defaultPolicy();
const tierOf = (overrides: Parameters<typeof parsed>[0], p = policy) =>
  classifyAlert(parsed(overrides), p).tier;

describe('classifyAlert: the operations guide tiers', () => {
  it.each([
    ['DeploymentZeroSuccessfulRequests', 'outage', 'P1'],
    ['GpuEccUncorrectable', 'gpu-ecc', 'P1'],
    ['GPUXidError', 'gpu-xid', 'P1'],
    ['DailySpendOverBudget', 'cost-runaway', 'P1'],
    ['AzureOpenAI429RateHigh', 'aoai-throttling', 'P2'],
    ['LLM P99 latency over SLO', 'latency-slo', 'P2'],
    ['GpuTemperatureHigh', 'gpu-temperature', 'P2'],
    ['GpuMemoryAbove95', 'gpu-memory', 'P2'],
    ['ErrorRateSpike', 'error-spike', 'P2'],
    ['TpmQuotaAbove80Percent', 'quota-approaching', 'P3'],
    ['CostForecastAboveBudget', 'cost-forecast', 'P3'],
  ])('%s is %s, tier %s', (rule, kind, tier) => {
    const a = classifyAlert(parsed({ rule, labels: { alertname: rule }, sourceSeverity: null }), policy);
    expect(a.kind).toBe(kind);
    expect(a.tier).toBe(tier);
  });

  it.each([
    ['79', 'P1'],
    ['48', 'P1'],
    ['63', 'P2'],
    ['94', 'P2'],
    ['13', 'P3'],
    ['45', 'P3'],
    ['777', 'P2'],
  ])('gives an XID alert naming XID %s the catalog tier %s', (xid, tier) => {
    const a = classifyAlert(
      parsed({
        rule: 'GpuXid',
        labels: { alertname: 'GpuXid', xid },
        summary: 'XID',
        sourceSeverity: 'critical',
      }),
      policy,
    );
    expect(a.kind).toBe('gpu-xid');
    expect([a.tier, a.tierReason]).toEqual([
      tier,
      xid === '777' ? 'XID 777 is not in the XID catalog' : `XID ${xid} is ${tier} in the XID catalog`,
    ]);
    // The summary is read when the rule sends no xid label.
    expect(
      tierOf({ rule: 'GpuXid', labels: {}, summary: `GPU 1 reported XID ${xid}`, sourceSeverity: null }),
    ).toBe(tier);
  });

  it('recognises the Azure 429 metric alert by its StatusCode dimension', () => {
    const a = classifyAlert(
      parsed({ rule: 'aoai-requests', labels: { StatusCode: '429', metricName: 'AzureOpenAIRequests' } }),
      policy,
    );
    expect(a.kind).toBe('aoai-throttling');
  });

  it.each([
    ['Sev0', 'P1'],
    ['Sev1', 'P1'],
    ['Sev2', 'P2'],
    ['Sev3', 'P3'],
    ['Sev4', 'P3'],
    ['critical', 'P1'],
    ['warning', 'P2'],
    ['info', 'P3'],
  ])('maps source severity %s to %s for unrecognised alerts', (sev, tier) => {
    expect(tierOf({ rule: 'SomethingElse', labels: {}, sourceSeverity: sev })).toBe(tier);
  });

  it('lets an explicit tier label win over kind and severity', () => {
    expect(tierOf({ rule: 'GpuTemperatureHigh', labels: { tier: 'p3' }, sourceSeverity: 'critical' })).toBe(
      'P3',
    );
    expect(tierOf({ rule: 'GpuTemperatureHigh', labels: { tier: 'log' } })).toBe('log');
  });

  it('lets a policy rule win over everything, first match first', () => {
    const p = parsePolicy(`
tiers:
  rules:
    - { name: training pool is not urgent, match: ["pool=training"], tier: P3 }
    - { name: never, match: ["pool=~.*"], tier: P1 }
`);
    const a = classifyAlert(
      parsed({ rule: 'GpuEccUncorrectable', labels: { pool: 'training', tier: 'P1' } }),
      p,
    );
    expect(a).toMatchObject({ tier: 'P3', tierReason: 'policy rule "training pool is not urgent"' });
  });

  it.each(['Single429Seen', 'GpuUtilisationFluctuation', 'ColdStartLatencySpike', 'TokenUseWithinBudget'])(
    'never pages for %s (log only)',
    (rule) => {
      expect(tierOf({ rule, labels: { alertname: rule }, sourceSeverity: 'critical' })).toBe('log');
    },
  );

  it('shows an unknown alert without severity as P2 rather than hiding it', () => {
    expect(tierOf({ rule: 'Mystery', labels: {}, sourceSeverity: null })).toBe('P2');
  });
});
