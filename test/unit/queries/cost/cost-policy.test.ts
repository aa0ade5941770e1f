import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../../../bot/policy.ts';
import { ConfigError } from '../../../../core/config-error.ts';
import { budgetScope, teamOfNamespace } from '../../../../queries/cost/cost-policy.ts';

function problems(yaml: string): string[] {
  try {
    parsePolicy(yaml, 'policy.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('policy: cost and views sections', () => {
  it('defaults: USD, reviewed GPU-hour prices, no teams, no budgets, a 99.9 % SLA, digests off (hourly and daily once a channel is named), no quota regions', () => {
    const p = defaultPolicy();
    expect(p.cost).toEqual({
      currency: 'USD',
      gpuHourPrices: { 'NVIDIA H100 80GB HBM3': 12.29, 'NVIDIA A100-SXM4-80GB': 4.1 },
      teams: {},
      budgets: [],
    });
    expect(p.views).toEqual({
      slaTarget: 99.9,
      latencySloMs: 2000,
      digest: { every: 3_600_000, capacityEvery: 86_400_000 },
      capacity: { regions: [] },
    });
  });

  it('reads budgets (total, per team, per deployment), the namespace map and the digest channel', () => {
    const p = parsePolicy(`
cost:
  gpuHourPrices: { "NVIDIA H100 80GB HBM3": 9.5 }
  teams: { ml: support, ml-train: research }
  budgets:
    - { name: platform-daily, period: daily, amount: 4000 }
    - { name: support-monthly, period: monthly, amount: 20000, team: support }
    - { name: gpt-4o-daily, period: daily, amount: 300, deployment: gpt-4o }
views:
  slaTarget: 99.5
  digest: { channel: oncall, every: 30m }
`);
    expect(p.cost.gpuHourPrices).toEqual({ 'NVIDIA H100 80GB HBM3': 9.5 });
    expect(p.cost.budgets.map(budgetScope)).toEqual([
      { kind: 'total' },
      { kind: 'team', team: 'support' },
      { kind: 'deployment', deployment: 'gpt-4o' },
    ]);
    expect(teamOfNamespace(p.cost, 'ml-train')).toBe('research');
    expect(teamOfNamespace(p.cost, 'constructor')).toBeUndefined();
    expect(p.views).toMatchObject({ slaTarget: 99.5, digest: { channel: 'oncall', every: 1_800_000 } });
  });

  it('names each bad field', () => {
    const found = problems(`
cost:
  currency: dollars
  teams: { ML_Team: support }
  budgets:
    - { name: both, period: daily, amount: 10, team: a, deployment: b }
    - { name: weekly, period: weekly, amount: 10 }
    - { name: free, period: daily, amount: 0 }
views: { slaTarget: 120, digest: { every: 1m } }
`).join('\n');
    expect(found).toMatch(/cost\.currency/);
    expect(found).toMatch(/cost\.teams/);
    expect(found).toMatch(/cost\.budgets\.0\.deployment.*team or deployment, not both/);
    expect(found).toMatch(/cost\.budgets\.1\.period/);
    expect(found).toMatch(/cost\.budgets\.2\.amount/);
    expect(found).toMatch(/views\.slaTarget/);
    expect(found).toMatch(/views\.digest\.every/);
    expect(
      problems(
        'cost:\n  budgets:\n    - { name: a, period: daily, amount: 1 }\n    - { name: a, period: monthly, amount: 9 }\n',
      ),
    ).toEqual(['policy.yaml: cost.budgets: budget names must be unique']);
  });
});
