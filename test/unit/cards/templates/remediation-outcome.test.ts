import { describe, expect, it } from 'vitest';
import { remediationOutcomes } from '../../../../cards/templates/remediation-outcome.ts';
import type { Incident } from '../../../../core/alerts/incident.ts';
import { hashPlan, type Plan } from '../../../../core/remediation/plan.ts';
import type { Proposal } from '../../../../core/remediation/proposal.ts';

const T0 = Date.parse('2026-11-28T09:00:00Z');
const MIN = 60_000;
const tf = { timeZone: 'UTC', now: T0 + 60 * MIN };

const plan: Plan = {
  actionId: 'scale-replicas',
  params: { deployment: 'llm-api', replicas: 4 },
  summary: 'Scale llm-api 2 → 4',
  targets: [{ kind: 'Deployment', namespace: 'ml', name: 'llm-api', resourceVersion: '7' }],
  current: { replicas: 2 },
  desired: { replicas: 4 },
  diff: ['replicas: 2 → 4'],
  rollback: {
    description: 'Scale back to 2',
    action: 'scale-replicas',
    params: { deployment: 'llm-api', replicas: 2 },
  },
  notes: [],
};
const run = (over: Partial<Proposal>): Proposal => ({
  id: 4,
  incidentId: 12,
  actionId: 'scale-replicas',
  tier: 'P2',
  risk: 'low',
  plan,
  planHash: hashPlan(plan),
  resourceVersions: {},
  dryRun: { ok: true, detail: [] },
  proposedBy: 'console:alice',
  proposedAt: T0,
  expiresAt: T0 + 15 * MIN,
  requiredApprovals: 1,
  approvers: ['console:bob'],
  status: 'succeeded',
  result: { ok: true, detail: [] },
  place: { surface: 'console', channel: 'oncall', thread: null },
  supersedes: null,
  rollbackOf: null,
  updatedAt: T0 + 5 * MIN,
  ...over,
});
const incident = (resolvedAt: number | null) =>
  ({ id: 12, status: resolvedAt === null ? 'open' : 'resolved', resolvedAt }) as Incident;
const text = (r: ReturnType<typeof remediationOutcomes>) => JSON.stringify(r.sections);

describe('the outcome of remediations on the incident card', () => {
  it('says whether the alerts cleared within the verification window, and offers the rollback', () => {
    const open = remediationOutcomes({
      incident: incident(null),
      proposals: [run({})],
      verifyTimeoutMs: 5 * MIN,
      tf,
    });
    expect(text(open)).toContain('Remediation #4 (scale-replicas) verified ');
    expect(text(open)).toContain('the alerts are still firing.');
    expect(open.actions).toMatchObject([
      { title: 'Roll back #4', data: { action: 'scale-replicas', rollbackOf: 4 } },
    ]);
    const soon = remediationOutcomes({
      incident: incident(T0 + 8 * MIN),
      proposals: [run({})],
      verifyTimeoutMs: 5 * MIN,
      tf,
    });
    expect(text(soon)).toContain('the alerts cleared 3 min later, within the 5-min verification window.');
    const late = remediationOutcomes({
      incident: incident(T0 + 25 * MIN),
      proposals: [run({})],
      verifyTimeoutMs: 5 * MIN,
      tf,
    });
    expect(text(late)).toContain('the alerts cleared 20 min later, after the 5-min verification window.');
  });

  it('offers no second rollback once one is under way, and none for a rolled-back run', () => {
    const asked = remediationOutcomes({
      incident: incident(null),
      proposals: [run({}), run({ id: 5, status: 'pending', rollbackOf: 4, updatedAt: T0 + 9 * MIN })],
      verifyTimeoutMs: 5 * MIN,
      tf,
    });
    expect(asked.actions).toEqual([]);
    expect(text(asked)).toContain('a rollback is under way');
    // The rollback proposal itself is not listed as a remediation of the incident.
    expect(asked.sections).toHaveLength(1);
    const undone = remediationOutcomes({
      incident: incident(null),
      proposals: [run({ status: 'rolled-back' })],
      verifyTimeoutMs: 5 * MIN,
      tf,
    });
    expect(text(undone)).toContain('(scale-replicas) rolled back ');
    expect(undone.actions).toEqual([]);
  });

  it('lists nothing for proposals that never ran', () => {
    for (const status of ['pending', 'approved', 'rejected', 'expired', 'void', 'executing'] as const)
      expect(
        remediationOutcomes({
          incident: incident(null),
          proposals: [run({ status })],
          verifyTimeoutMs: MIN,
          tf,
        }),
      ).toEqual({
        sections: [],
        actions: [],
      });
  });
});
