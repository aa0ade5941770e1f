import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toRoutableGpuQueries } from '../../../handlers/questions/routable-query.ts';
import { routeDecision } from '../../../handlers/questions/route-decision.ts';
import { createQuestionRouter } from '../../../handlers/questions/route-question.ts';
import { gpuQueries } from '../../../queries/gpu/catalog.ts';
import { questionCatalog, questionInventory } from '../../fixtures/questions/catalog.ts';

const clock = { now: new Date('2026-11-28T14:00:00Z'), timeZone: 'UTC' };
const router = createQuestionRouter({ queries: questionCatalog, inventory: questionInventory });
const route = (q: string) => routeDecision.parse(router.route(q, clock));

describe('routeQuestion', () => {
  it('answers a confident match with schema-valid parameters and what it did not use', () => {
    const d = route('which team burned the most tokens this week?');
    expect(d).toMatchObject({
      kind: 'query',
      id: 'cost-per-team',
      params: { start: '2026-11-23T00:00:00Z' },
      interpretation: ['this week (since Monday)'],
    });
    const gpu = route('is gpu 3 on node 5 ok?');
    expect(gpu).toMatchObject({
      kind: 'query',
      id: 'gpu-node-state',
      source: 'gpu',
      params: { node: 'node-5', gpu: 3 },
    });
    const tokens = route('tokens used by gpt-4o today');
    // token-usage filters on a deployment now: nothing the question said is left unused.
    expect(tokens.kind === 'query' && tokens.ignored).toEqual([]);
    expect(tokens.kind === 'query' && tokens.params.deployment).toBe('gpt-4o');
  });

  it('asks instead of running when parameters are out of bounds or missing', () => {
    expect(route('node-7 temperature over the last 2 weeks')).toMatchObject({
      kind: 'clarify',
      reason: 'invalid-params',
    });
    expect(route('throttling on gpt-4o past 45 days')).toMatchObject({
      kind: 'clarify',
      reason: 'invalid-params',
    });
    expect(route('nvlink traffic')).toMatchObject({ kind: 'clarify', reason: 'missing-param' });
  });

  it('asks when the top two are too close, and never returns more than three candidates', () => {
    const d = route('gpu');
    expect(d.kind).toBe('clarify');
    expect(d.kind === 'clarify' && d.candidates.length).toBeLessThanOrEqual(3);
  });

  it('treats orders and unrelated requests as no-match with suggestions', () => {
    for (const q of [
      'restart node-7',
      'please scale gpt-4o to 10 replicas',
      'cpu load on node-2',
      'tell me a joke',
    ]) {
      const d = route(q);
      expect(d.kind, q).toBe('no-match');
      expect(d.kind === 'no-match' && d.suggestions.map((s) => s.id)).toContain('throttle-rate');
    }
  });

  it('fills any catalog parameter by name, so the real catalog drops in', () => {
    const teamTokens = {
      id: 'team-token-usage',
      title: 'Token usage of a team',
      description: 'Tokens consumed by one team per deployment.',
      examples: ['tokens used by the search team'],
      params: z.object({ team: z.enum(['ml-platform', 'copilot-core']), window: z.string().default('24h') }),
      source: 'kql' as const,
    };
    const custom = createQuestionRouter({
      queries: [teamTokens, ...toRoutableGpuQueries(gpuQueries)],
      inventory: questionInventory,
    });
    expect(custom.route('token spend of the copilot core team since yesterday', clock)).toMatchObject({
      kind: 'query',
      id: 'team-token-usage',
      params: { team: 'copilot-core', window: '38h' },
    });
    expect(custom.route('token spend of the fraud detection team', clock)).toMatchObject({
      kind: 'clarify',
      reason: 'invalid-params',
    });
  });

  it('routes on the real catalog by what a query is per, what it reports and its parameter names', () => {
    expect(route('which team burned the most tokens this week?')).toMatchObject({ id: 'cost-per-team' });
    expect(route('tokens used by gpt-4o today')).toMatchObject({ id: 'token-usage' });
    expect(route('how slow is rag-gateway at p90?')).toMatchObject({ id: 'latency-distribution' });
    expect(route('SLO breaches on latency this week')).toMatchObject({ id: 'slow-requests' });
    expect(route('errors 3x the baseline in the last 30 minutes')).toMatchObject({
      kind: 'query',
      id: 'error-spike',
      params: { min_ratio: 3, recent: '30m' },
    });
    expect(route('top 5 failing operations in the last 2 hours')).toMatchObject({
      id: 'top-failing-operations',
      params: { limit: 5, window: '2h' },
    });
  });

  it('answers questions about jailbreaks but never with the private query of who sent them', () => {
    expect(questionCatalog.map((q) => q.id)).not.toContain('prompt-injection-sources');
    expect(route('jailbreak attempts today')).toMatchObject({ kind: 'query', id: 'prompt-injection' });
    expect(route('which user ids sent jailbreak prompts?').kind).toBe('no-match');
    expect(route('what version of cuda is installed on node-3').kind).toBe('no-match');
  });

  it('tells a "now" question from a near-copy of an example that had a time range', () => {
    // "node-7 temperature over the last hour" is an example of the history query.
    expect(route('is node-3 overheating')).toMatchObject({ kind: 'query', id: 'gpu-node-state' });
    expect(route('node-3 temperature over the last hour')).toMatchObject({
      kind: 'query',
      id: 'gpu-node-history',
    });
  });
});

describe('calendar ranges become start and end', () => {
  it('binds a day, a part of it or clock times on it as an absolute range the query re-runs the same', () => {
    expect(route('429s on gpt-4o yesterday')).toMatchObject({
      kind: 'query',
      id: 'throttle-rate',
      params: { deployment: 'gpt-4o', start: '2026-11-27T00:00:00Z', end: '2026-11-28T00:00:00Z' },
      interpretation: ['yesterday', 'deployment=gpt-4o'],
    });
    expect(route('p99 latency between 2 and 4 am')).toMatchObject({
      id: 'latency-distribution',
      params: { start: '2026-11-28T02:00:00Z', end: '2026-11-28T04:00:00Z' },
    });
    expect(route('token spend per team on Dec 3')).toMatchObject({
      id: 'cost-per-team',
      params: { start: '2025-12-03T00:00:00Z', end: '2025-12-04T00:00:00Z' },
    });
    // An open range runs to now: no end is bound.
    expect(route('throttling since Monday')).toMatchObject({
      id: 'throttle-rate',
      params: { start: '2026-11-23T00:00:00Z' },
    });
    // A look-back stays a look-back.
    expect(route('throttling in the last 2 hours')).toMatchObject({ params: { window: '2h' } });
  });

  it('gives queries that only look back from now the window covering the range, and says so', () => {
    const d = route('how hot did node-6 get last night');
    expect(d).toMatchObject({
      kind: 'query',
      id: 'gpu-node-history',
      params: { node: 'node-6', range: '20h' },
    });
    expect(d.kind === 'query' && d.interpretation).toContain('last 20h (covering last night)');
  });

  it('asks when a range is longer than the query allows, rather than running it', () => {
    const d = route('token usage since 1 Sep');
    expect(d).toMatchObject({ kind: 'clarify', reason: 'invalid-params' });
    expect(d.kind === 'clarify' && d.message).toMatch(/more than this query's/);
  });
});

describe('subject filters from words', () => {
  it('filters on an operation, a model version and an app role the question names', () => {
    expect(route('p99 latency on POST /answer in the last hour')).toMatchObject({
      kind: 'query',
      id: 'latency-distribution',
      params: { operation: 'POST /answer', window: '1h' },
      interpretation: ['last 1h', 'operation=POST /answer'],
    });
    expect(route('how many tokens did model version 2024-11-20 use yesterday')).toMatchObject({
      kind: 'query',
      id: 'token-usage',
      params: { model_version: '2024-11-20', start: '2026-11-27T00:00:00Z', end: '2026-11-28T00:00:00Z' },
    });
    expect(route('throttling on gtp-4o since yesterady')).toMatchObject({
      kind: 'query',
      id: 'throttle-rate',
      params: { deployment: 'gpt-4o', start: '2026-11-27T00:00:00Z' },
    });
  });
});
