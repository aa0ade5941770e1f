import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../bot/policy.ts';
import type { Incident } from '../../../core/alerts/incident.ts';
import type { ChatPlace } from '../../../core/chat-surface.ts';
import { ManualClock } from '../../../core/clock.ts';
import { collectEvidence } from '../../../handlers/queries/collect-evidence.ts';
import { createKqlCommand } from '../../../handlers/queries/kql-command.ts';
import { DEFAULT_QUERY_POLICY, withQueryPolicy } from '../../../handlers/queries/query-policy.ts';
import type { LogsRun } from '../../../queries/backends/logs-backend.ts';
import { DEFAULT_TOKEN_PRICES } from '../../../queries/kql/cost-per-team.ts';
import { createSimulatedLogsBackend } from '../../../sim/telemetry/simulated-logs.ts';

const DAY = 86_400_000;
const clock = new ManualClock();
const raw = createSimulatedLogsBackend(clock, { historyMs: DAY });
const policy = parsePolicy(
  [
    'privateQueries:',
    '  users: ["console:alice", "slack:U123"]',
    'pricing:',
    '  gpt-4o: { inputPer1k: 0.005, outputPer1k: 0.02 }',
    '  gpt-4o-mini: { inputPer1k: 0.0003, outputPer1k: 0.0012 }',
    '  text-embedding-3-large: { inputPer1k: 0.00026, outputPer1k: 0 }',
    '  o3-mini: { inputPer1k: 0.0022, outputPer1k: 0.0088 }',
    '  gpt-4.1: { inputPer1k: 0.004, outputPer1k: 0.016 }',
  ].join('\n'),
);
const now = () => clock.now();
const backend = withQueryPolicy(raw, policy, now);

const dm: ChatPlace = { surface: 'console', channel: 'dm-alice', thread: null, direct: true };
const channel: ChatPlace = { surface: 'console', channel: 'ops', thread: null };
const alice = { id: 'console:alice', displayName: 'Alice' };
const mallory = { id: 'console:mallory', displayName: 'Mallory' };

const column = (run: LogsRun, name: string) => {
  const i = run.result.columns.findIndex((c) => c.name === name);
  return new Map(run.result.rows.map((r) => [r[0] as string, r[i] as number]));
};

describe('private queries', () => {
  it('are answered to an authorised user in a direct message, with the identities', async () => {
    const run = await backend.run(
      'prompt-injection-sources',
      { window: '24h' },
      { caller: { user: alice, place: dm } },
    );
    expect(run.result.columns.map((c) => c.name)).toContain('ClientIP');
    expect(run.result.rows.length).toBeGreaterThan(0);
    expect(String(run.result.rows[0]![0])).toMatch(/^user-\d+$/);
  });

  it('are refused in a channel, to an unlisted user, and with no caller at all', async () => {
    await expect(
      backend.run('prompt-injection-sources', {}, { caller: { user: alice, place: channel } }),
    ).rejects.toMatchObject({ code: 'KQL_PRIVATE_QUERY', message: expect.stringMatching(/direct message/) });
    await expect(
      backend.run('prompt-injection-sources', {}, { caller: { user: mallory, place: dm } }),
    ).rejects.toMatchObject({
      code: 'KQL_PRIVATE_FORBIDDEN',
      message: expect.stringMatching(/privateQueries\.users/),
    });
    await expect(backend.run('prompt-injection-sources', {})).rejects.toMatchObject({
      code: 'KQL_PRIVATE_QUERY',
    });
    // Nobody is authorised by default.
    await expect(
      withQueryPolicy(raw, DEFAULT_QUERY_POLICY, now).run(
        'prompt-injection-sources',
        {},
        { caller: { user: alice, place: dm } },
      ),
    ).rejects.toMatchObject({ code: 'KQL_PRIVATE_FORBIDDEN' });
  });

  it('the /kql command passes who asked and where; evidence never gets identities', async () => {
    const kql = createKqlCommand(backend);
    const args = kql.args.parse({ positional: ['prompt-injection-sources'], named: {} });
    const ctx = { args, user: alice, incidentId: undefined };
    const card = await kql.handle({ ...ctx, place: dm }, {} as never);
    expect(JSON.stringify(card)).toMatch(/user-\d+/);
    await expect(kql.handle({ ...ctx, place: channel }, {} as never)).rejects.toMatchObject({
      code: 'KQL_PRIVATE_QUERY',
    });
    const incident = { id: 1, kind: 'aoai-throttling', resource: {} } as unknown as Incident;
    const evidence = await collectEvidence(
      backend,
      incident,
      [{ queryId: 'prompt-injection-sources', params: {} }],
      5000,
      () => 0,
    );
    expect(evidence.items[0]!.outcome).toEqual({
      status: 'unavailable',
      reason: expect.stringMatching(/direct message/),
    });
    expect(JSON.stringify(evidence)).not.toMatch(/user-\d+/);
  });

  it('the policy accepts only platform-qualified user ids', () => {
    expect(() => parsePolicy('privateQueries:\n  users: ["alice"]')).toThrow(
      /privateQueries\.users.*console:<name>/s,
    );
    expect(() => parsePolicy('privateQueries:\n  users: ["group:oncall"]')).toThrow(/privateQueries/);
  });
});

describe('prices from the policy file', () => {
  it('are bound as the prices parameter: twice the prices, twice the cost, same tokens', async () => {
    const cheap = await withQueryPolicy(raw, DEFAULT_QUERY_POLICY, now).run('cost-per-team', {
      window: '24h',
    });
    const dear = await backend.run('cost-per-team', { window: '24h' });
    expect(dear.text).toContain('let prices = dynamic({"gpt-4o":{"inputPer1k":0.005,"outputPer1k":0.02}');
    expect(cheap.text).toContain('let prices = dynamic({"gpt-4o":{"inputPer1k":0.0025,"outputPer1k":0.01}');
    const cheapCost = column(cheap, 'CostUsd');
    const dearCost = column(dear, 'CostUsd');
    expect([...dearCost.keys()].sort()).toEqual(['agents', 'analytics', 'search', 'support']);
    for (const [team, cost] of dearCost) {
      expect(cost).toBeGreaterThan(0);
      expect(Math.abs(cost - 2 * cheapCost.get(team)!)).toBeLessThanOrEqual(0.02);
    }
    expect(column(dear, 'PromptTokens')).toEqual(column(cheap, 'PromptTokens'));
    // The card's parameter list shows what a person chose; the prices are in the KQL text.
    expect(dear.params).toEqual({ window: 86_400_000 });
  });

  it('a deployment missing from the table is reported as unpriced tokens, not priced at zero', async () => {
    const { 'o3-mini': _, ...withoutO3 } = DEFAULT_TOKEN_PRICES;
    const run = await withQueryPolicy(raw, { ...DEFAULT_QUERY_POLICY, pricing: withoutO3 }, now).run(
      'cost-per-team',
      {},
    );
    const unpriced = column(run, 'UnpricedTokens');
    expect(unpriced.get('agents')).toBeGreaterThan(0); // agent-api calls o3-mini
    expect(unpriced.get('support')).toBe(0);
  });

  it('cannot be set from chat, and bad prices are refused by the policy', async () => {
    await expect(backend.run('cost-per-team', { prices: '{"gpt-4o":{}}' })).rejects.toMatchObject({
      code: 'KQL_CONFIGURED_PARAMETER',
    });
    expect(() => parsePolicy('pricing:\n  gpt-4o: { inputPer1k: -1, outputPer1k: 0 }')).toThrow(/pricing/);
    expect(() => parsePolicy('pricing:\n  gpt-4o: { inputPer1k: "free", outputPer1k: 0 }')).toThrow(
      /pricing/,
    );
    expect(() => parsePolicy('pricing:\n  "gpt 4o; drop": { inputPer1k: 1, outputPer1k: 0 }')).toThrow(
      /pricing/,
    );
    expect(parsePolicy('').pricing).toEqual(DEFAULT_TOKEN_PRICES);
  });
});

describe('time ranges and the workspace retention', () => {
  const iso = (ms: number) => new Date(ms).toISOString();

  it('reads the retention from the policy file, 30 days by default', () => {
    expect(parsePolicy('').retention).toBe(30 * DAY);
    expect(parsePolicy('retention: 90d').retention).toBe(90 * DAY);
    expect(() => parsePolicy('retention: forever')).toThrow(/retention/);
  });

  it('allows a month of cost, refuses a look-back past the retention or a range past the query bound', async () => {
    const month = await backend.run('cost-per-team', { window: '30d' });
    expect(month.params.window).toBe(30 * DAY);
    const short = withQueryPolicy(raw, { ...policy, retention: 7 * DAY }, now);
    await expect(short.run('cost-per-team', { window: '30d' })).rejects.toThrow(/keeps 7d of data/);
    await expect(
      short.run('token-usage', { start: iso(clock.now() - 8 * DAY), end: iso(clock.now() - 7.5 * DAY) }),
    ).rejects.toThrow(/older than the workspace keeps data/);
    await expect(
      backend.run('throttle-rate', { start: iso(clock.now() - 20 * DAY), end: iso(clock.now()) }),
    ).rejects.toThrow(/more than this query's 14d/);
    await expect(
      backend.run('token-usage', { start: iso(clock.now() - DAY), end: iso(clock.now() - 2 * DAY) }),
    ).rejects.toThrow(/before it starts/);
  });
});
