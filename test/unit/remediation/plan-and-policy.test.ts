import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../core/alerts/incident.ts';
import { canonicalJson } from '../../../core/canonical-json.ts';
import { ConfigError } from '../../../core/config-error.ts';
import { hashPlan, type Plan } from '../../../core/remediation/plan.ts';
import { suggestedRemediationActions } from '../../../handlers/approvals/suggested-remediations.ts';
import { shiftWeights } from '../../../remediation/actions/shift-traffic.ts';
import { ACTIONS } from '../../../remediation/catalog.ts';
import { isAllowed, matchesResource, parseRemediationPolicy } from '../../../remediation/policy.ts';

const plan: Plan = {
  actionId: 'scale-replicas',
  params: { deployment: 'llm-api', replicas: 6 },
  summary: 's',
  targets: [{ kind: 'Deployment', namespace: 'ml', name: 'llm-api', resourceVersion: '41' }],
  current: { replicas: 4 },
  desired: { replicas: 6 },
  diff: ['replicas 4 → 6'],
  rollback: { description: 'back', action: 'scale-replicas', params: { replicas: 4 } },
  notes: [],
};

describe('plan hashing', () => {
  it('ignores key order and changes with the resource version', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    const reordered = { ...plan, params: { replicas: 6, deployment: 'llm-api' } };
    expect(hashPlan(reordered)).toBe(hashPlan(plan));
    const moved = { ...plan, targets: [{ ...plan.targets[0]!, resourceVersion: '42' }] };
    expect(hashPlan(moved)).not.toBe(hashPlan(plan));
  });
});

describe('traffic weights', () => {
  it('gives the target its share and splits the rest by current weight', () => {
    expect(shiftWeights({ a: 100, b: 0 }, 'b', 80)).toEqual({ a: 20, b: 80 });
    expect(shiftWeights({ a: 60, b: 30, c: 10 }, 'c', 50)).toEqual({ a: 34, b: 16, c: 50 });
    const w = shiftWeights({ a: 33, b: 33, c: 34 }, 'a', 10);
    expect(Object.values(w).reduce((x, y) => x + y, 0)).toBe(100);
  });
});

describe('remediation policy', () => {
  it('reports a bad section as a configuration problem naming each field', () => {
    let error: unknown;
    try {
      parseRemediationPolicy({ mode: 'yolo', approvalTtl: '2s' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^policy file: remediation: mode: /m);
    expect(problems).toMatch(/^policy file: remediation: approvalTtl: /m);
  });

  it('resolves groups and platform-qualified ids', () => {
    const p = parseRemediationPolicy({ groups: { oncall: ['slack:U123', 'teams:8f1c-aa'] } });
    expect(isAllowed(p, 'slack:U123', ['group:oncall'])).toBe(true);
    expect(isAllowed(p, 'console:U123', ['group:oncall'])).toBe(false);
    expect(isAllowed(p, 'console:alice', ['console:alice'])).toBe(true);
    expect(p.approvalTtl).toBe(15 * 60_000);
    expect(matchesResource('configmaps/llm-*', 'configmaps/llm-api-config')).toBe(true);
    expect(matchesResource('configmaps/llm-*', 'configmaps/other')).toBe(false);
  });

  it('lets agents (mcp:<name>) propose but never be named as approvers or kill-switch holders', () => {
    const p = parseRemediationPolicy({
      actions: { 'cordon-node': { propose: ['group:oncall', 'mcp:triage'] } },
    });
    expect(isAllowed(p, 'mcp:triage', p.actions['cordon-node']!.propose)).toBe(true);
    const problems = (raw: unknown) => {
      try {
        parseRemediationPolicy(raw);
      } catch (err) {
        return (err as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(problems({ actions: { 'cordon-node': { approve: ['mcp:triage'] } } })).toMatch(
      /actions\.cordon-node\.approve: agents \(mcp:<name>\) can never approve/,
    );
    expect(
      problems({ actions: { 'cordon-node': { approveByTier: { P1: ['console:a', 'mcp:x'] } } } }),
    ).toMatch(/approveByTier\.P1: agents/);
    expect(problems({ killSwitch: ['mcp:triage'] })).toMatch(/killSwitch: agents/);
  });

  it('rejects bad principals and unknown keys with the path', () => {
    expect(() => parseRemediationPolicy({ groups: { oncall: ['alice'] } })).toThrow(/console:<name>/);
    expect(() => parseRemediationPolicy({ moed: 'off' })).toThrow();
  });

  it('turns an incident kind into Propose buttons filled from its resource', () => {
    const incident = {
      id: 7,
      kind: 'gpu-ecc',
      status: 'open',
      resource: { node: 'node-3' },
    } as unknown as Incident;
    const actions = suggestedRemediationActions(parseRemediationPolicy({}), ACTIONS, incident);
    expect(actions).toEqual([
      {
        verb: 'remediation-propose',
        title: 'Propose: Cordon GPU node',
        style: 'default',
        data: { action: 'cordon-node', params: '{"node":"node-3"}', incidentId: 7 },
      },
    ]);
    expect(suggestedRemediationActions(parseRemediationPolicy({ mode: 'off' }), ACTIONS, incident)).toEqual(
      [],
    );
  });

  it('offers the rollback of the model and version a latency incident is about, not a constant deployment', () => {
    const incident = {
      id: 9,
      kind: 'latency-slo',
      status: 'open',
      resource: { deployment: 'gpt-4o', model: 'gpt-4o', modelVersion: '2024-11-20', appRole: 'chat-api' },
    } as unknown as Incident;
    const [rollback] = suggestedRemediationActions(parseRemediationPolicy({}), ACTIONS, incident);
    expect(rollback).toMatchObject({
      title: 'Propose: Roll back gpt-4o 2024-11-20',
      data: { action: 'rollback-deployment', incidentId: 9 },
    });
    expect(JSON.parse(String(rollback!.data.params))).toEqual({
      model: 'gpt-4o',
      modelVersion: '2024-11-20',
    });
  });
});
