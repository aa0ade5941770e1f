import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../../../cards/render/adaptive-card.ts';
import { toBlockKit } from '../../../../cards/render/block-kit.ts';
import { remediationProposalCard } from '../../../../cards/templates/remediation-proposal.ts';
import { stormCard } from '../../../../cards/templates/storm-card.ts';
import type { Message } from '../../../../core/message.ts';
import { hashPlan, type Plan } from '../../../../core/remediation/plan.ts';
import type { Proposal } from '../../../../core/remediation/proposal.ts';
import { sampleCards } from '../../../helpers/sample-cards.ts';

const POSTED = Date.parse('2026-11-28T09:14:00Z');
const LATER = POSTED + 3 * 3_600_000;
const T0 = Date.parse('2026-11-28T09:00:00Z');

const plan: Plan = {
  actionId: 'shift-traffic',
  params: { percent: 80 },
  summary: 'Route traffic 80% to swedencentral',
  targets: [{ kind: 'ConfigMap', namespace: 'ml', name: 'routing', resourceVersion: '57' }],
  current: {},
  desired: {},
  diff: ['eastus2: 100% → 20%'],
  rollback: { description: 'Restore weights', action: 'shift-traffic', params: {} },
  notes: [],
};
const proposal: Proposal = {
  id: 3,
  incidentId: 12,
  actionId: 'shift-traffic',
  tier: 'P1',
  risk: 'medium',
  plan,
  planHash: hashPlan(plan),
  resourceVersions: {},
  dryRun: { ok: true, detail: ['ok'] },
  proposedBy: 'console:alice',
  proposedAt: T0,
  expiresAt: T0 + 15 * 60_000,
  requiredApprovals: 2,
  approvers: ['slack:U0CAROL'],
  status: 'pending',
  result: null,
  place: { surface: 'console', channel: 'oncall', thread: null },
  supersedes: null,
  rollbackOf: null,
  updatedAt: T0,
};

/** The cards that are posted once and edited in place, rendered as of `now`. */
function postedCards(now: number): Record<string, Message> {
  const time = { timeZone: 'Europe/Amsterdam', now };
  const incidents = Object.entries(sampleCards(now)).filter(
    ([k]) => k.startsWith('incident-') && !k.startsWith('incident-list'),
  );
  const storm = { id: 3, startedAt: T0, lastIncidentAt: T0 + 5 * 60_000, endedAt: null };
  const stormIncidents = [
    {
      id: 9,
      title: 'GPU hot',
      kind: 'gpu-temperature' as const,
      tier: 'P2' as const,
      status: 'open' as const,
      resource: { node: 'node-1' },
      openedAt: T0,
      acknowledgedBy: null,
      silenceId: null,
    },
  ];
  return {
    ...Object.fromEntries(incidents),
    'storm-active': stormCard({ storm, incidents: stormIncidents, time }),
    'storm-ended': stormCard({
      storm: { ...storm, endedAt: T0 + 30 * 60_000 },
      incidents: stormIncidents,
      time,
    }),
    'remediation-pending': remediationProposalCard(proposal, 'Shift traffic', time),
    'remediation-approved': remediationProposalCard(
      { ...proposal, status: 'approved', updatedAt: T0 + 60_000 },
      'Shift traffic',
      time,
    ),
  };
}

const RELATIVE = /\bago\b|\bin \d+ ?(m|h|min|minutes?|hours?)\b|\d+ ?(m|h|min) (left|remaining)/i;
const HHMM = /\b\d{2}:\d{2}\b/;

describe('a card re-rendered 3 hours after it was posted, state unchanged', () => {
  const before = postedCards(POSTED);
  const after = postedCards(LATER);

  it.each(Object.keys(before))('%s is identical on both surfaces and says no server-computed age', (name) => {
    for (const render of [toAdaptiveCard, toBlockKit] as const) {
      const a = JSON.stringify(render(before[name]!));
      const b = JSON.stringify(render(after[name]!));
      expect(b).toBe(a);
      expect(b).not.toMatch(RELATIVE);
    }
  });

  it.each(Object.keys(before))(
    '%s shows its times as client-rendered time elements with fallbacks',
    (name) => {
      const ac = JSON.stringify(toAdaptiveCard(after[name]!));
      const slack = JSON.stringify(toBlockKit(after[name]!));
      expect(ac).toMatch(/\{\{(DATE|TIME)\(2026-11-28T\d{2}:\d{2}:00Z/);
      expect(slack).toMatch(/<!date\^\d+\^\{(date_short_pretty|time)\}[^|]*\|[^>]+>/);
      // The header (title, subtitle) carries no server-side clock time outside the time elements.
      const header = after[name]!.header!;
      expect(header.title).not.toMatch(HHMM);
      expect(
        JSON.stringify(toBlockKit({ ...after[name]!, sections: [], facts: [], actions: [] })).replace(
          /<!date\^[^>]*>/g,
          '',
        ),
      ).not.toMatch(HHMM);
    },
  );
});
