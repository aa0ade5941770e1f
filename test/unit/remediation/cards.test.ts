import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../../cards/render/adaptive-card.ts';
import { toBlockKit } from '../../../cards/render/block-kit.ts';
import { remediationAuditCard } from '../../../cards/templates/remediation-audit.ts';
import { remediationProgressReply } from '../../../cards/templates/remediation-progress.ts';
import { remediationProposalCard } from '../../../cards/templates/remediation-proposal.ts';
import { chainAuditRecord } from '../../../core/remediation/audit.ts';
import { hashPlan, type Plan } from '../../../core/remediation/plan.ts';
import type { Proposal } from '../../../core/remediation/proposal.ts';
import { schemaErrors } from '../../helpers/adaptive-card-validation.ts';
import { findBlockViolations } from '../../servers/slack/block-limits.ts';

const at = Date.parse('2026-11-28T09:00:00Z');
const plan: Plan = {
  actionId: 'shift-traffic',
  params: { percent: 80 },
  summary: 'Route Azure OpenAI traffic gpt-4o-eastus2 20%, gpt-4o-swedencentral 80%',
  targets: [{ kind: 'ConfigMap', namespace: 'ml', name: 'aoai-gateway-routing', resourceVersion: '57' }],
  current: { weights: { 'gpt-4o-eastus2': 100, 'gpt-4o-swedencentral': 0 } },
  desired: { weights: { 'gpt-4o-eastus2': 20, 'gpt-4o-swedencentral': 80 } },
  diff: ['gpt-4o-eastus2: 100% → 20%', 'gpt-4o-swedencentral: 0% → 80%'],
  rollback: { description: 'Restore weights', action: 'shift-traffic', params: { weights: { a: 100 } } },
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
  resourceVersions: { 'ConfigMap/ml/aoai-gateway-routing': '57' },
  dryRun: { ok: true, detail: ['aoai-gateway-routing: gpt-4o-eastus2 20%, gpt-4o-swedencentral 80%'] },
  proposedBy: 'console:alice',
  proposedAt: at,
  expiresAt: at + 15 * 60_000,
  requiredApprovals: 2,
  approvers: ['slack:U0CAROL'],
  status: 'pending',
  result: null,
  place: { surface: 'console', channel: 'oncall', thread: null },
  supersedes: null,
  rollbackOf: null,
  updatedAt: at,
};
const tf = { timeZone: 'UTC', now: at + 60_000 };

describe('remediation cards', () => {
  const cards = {
    proposal: remediationProposalCard(proposal, 'Shift Azure OpenAI traffic', tf),
    progress: remediationProgressReply(
      { ...proposal, status: 'verify-failed' },
      'verification failed.',
      'attention',
      ['x'],
      true,
    ),
    audit: remediationAuditCard(
      [
        chainAuditRecord(
          { at, actor: 'console:alice', event: 'proposed', proposalId: 3, planHash: proposal.planHash },
          undefined,
        ),
      ],
      { ok: true, count: 1 },
      { incidentId: 12, more: 0 },
      tf,
    ),
  };

  it('shows plan, approvals and buttons bound to the plan hash', () => {
    const c = cards.proposal;
    expect(c.header).toMatchObject({
      title: 'Remediation #3: Shift Azure OpenAI traffic',
      tier: 'P1',
      status: 'pending',
    });
    expect(c.facts).toContainEqual(['Approvals', '1 of 2 (slack:U0CAROL)']);
    // An absolute expiry: a posted card never says "in 14m" hours later.
    expect(c.facts).toContainEqual([
      'Expires',
      expect.objectContaining({ kind: 'time', fallback: '28 Nov 2026, 09:15 UTC' }),
    ]);
    expect(JSON.stringify(c)).not.toMatch(/\bin \d+m\b/);
    expect(c.actions.map((a) => [a.verb, a.data])).toEqual([
      ['remediation-approve', { proposalId: 3, planHash: proposal.planHash }],
      ['remediation-reject', { proposalId: 3 }],
    ]);
    expect(remediationProposalCard({ ...proposal, status: 'succeeded' }, 't', tf).actions).toEqual([]);
    expect(cards.progress.actions[0]).toMatchObject({
      verb: 'remediation-propose',
      title: 'Propose rollback',
    });
  });

  it('says what each state means and offers buttons only while something is left to press', () => {
    const states = {
      approved: /execution starts/,
      executing: /Executing/,
      succeeded: /verified/,
      failed: /Failed/,
      'verify-failed': /verification failed/,
      'rolled-back': /Rolled back/,
      expired: /Expired/,
      rejected: /Rejected/,
    } as const;
    for (const [status, words] of Object.entries(states)) {
      const card = remediationProposalCard({ ...proposal, status: status as Proposal['status'] }, 't', tf);
      expect({ status, actions: card.actions }).toEqual({ status, actions: [] });
      expect(JSON.stringify(card)).toMatch(words);
    }
    const head = { seq: 7, hash: 'ab'.repeat(32) };
    expect(remediationProposalCard(proposal, 't', tf, { auditHead: head }).facts).toContainEqual([
      'Audit head',
      `7:${'ab'.repeat(32)}`,
    ]);
  });

  it('renders within Adaptive Card 1.5 and Block Kit limits', () => {
    for (const [name, card] of Object.entries(cards)) {
      expect({ name, errors: schemaErrors(toAdaptiveCard(card)) }).toEqual({ name, errors: [] });
      expect({ name, errors: findBlockViolations(toBlockKit(card).blocks) }).toEqual({ name, errors: [] });
    }
  });
});
