import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../../../core/clock.ts';
import { UserFacingError } from '../../../../core/errors.ts';
import { createSecretScrubber } from '../../../../core/secret-scrubber.ts';
import { createAgentGovernance } from '../../../../handlers/agents/agent-governance.ts';
import type { AgentTool } from '../../../../handlers/agents/agent-tool.ts';
import { agentParams } from '../../../../handlers/agents/query-tools.ts';
import { createSecurityLog } from '../../../../handlers/ask/security-log.ts';
import { toRoutableKqlQueries } from '../../../../handlers/questions/routable-query.ts';
import { defaultRateLimits, rateLimitPolicy } from '../../../../handlers/rate-limit/rate-limit-policy.ts';
import { WorkLimiter } from '../../../../handlers/rate-limit/work-limiter.ts';
import { KQL_CATALOG } from '../../../../queries/catalog.ts';

const dir = mkdtempSync(join(tmpdir(), 'agent-governance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const agent = { id: 'mcp:triage', displayName: 'triage' };
const SECRET = 'secret-token-0123456789abcdef0123456789';
const throttle = toRoutableKqlQueries(KQL_CATALOG).find((q) => q.id === 'throttle-rate')!;

/** A governance over tools whose runs are recorded, with real limits, log and clock. */
function setUp(limits = defaultRateLimits(), extra: AgentTool[] = []) {
  const runs: Record<string, unknown>[] = [];
  const lines: Record<string, unknown>[] = [];
  const clock = new ManualClock();
  const security = createSecurityLog(join(dir, `${Math.random()}.jsonl`));
  const tool: AgentTool = {
    name: 'throttle-rate',
    title: throttle.title,
    description: throttle.description,
    input: agentParams(throttle),
    readOnly: true,
    work: 'kql',
    async run(args) {
      runs.push(args);
      return { structured: { ok: true }, text: 'ran' };
    },
  };
  const log = (fields: object | string) => {
    if (typeof fields === 'object') lines.push(fields as Record<string, unknown>);
  };
  const governance = createAgentGovernance({
    tools: [tool, ...extra],
    privateQueries: new Set(['prompt-injection-sources']),
    limiter: new WorkLimiter(limits, () => clock.now()),
    security,
    logger: { debug: log, info: log, warn: log, error: log },
    now: () => clock.now(),
    scrub: createSecretScrubber([SECRET]),
  });
  return { governance, runs, lines, security, clock };
}

describe('agent governance', () => {
  it('runs a valid call with the raw arguments, and logs who called what', async () => {
    const { governance, runs, lines } = setUp();
    const outcome = await governance.call(agent, 'throttle-rate', { window: '1h', deployment: 'gpt-4o' });
    expect(outcome).toEqual({ ok: true, output: { structured: { ok: true }, text: 'ran' } });
    // Raw, not parsed: the query backend validates and binds them again.
    expect(runs).toEqual([{ window: '1h', deployment: 'gpt-4o' }]);
    expect(lines).toEqual([
      expect.objectContaining({
        action: 'mcp-call',
        user: 'mcp:triage',
        tool: 'throttle-rate',
        outcome: 'ok',
      }),
    ]);
  });

  it('refuses bad arguments naming each parameter and runs nothing', async () => {
    const { governance, runs, security } = setUp();
    const outcome = await governance.call(agent, 'throttle-rate', {
      window: 'forever',
      bucket: ['1m'],
      'x; drop': 1,
    });
    expect(outcome).toMatchObject({ ok: false, code: 'INVALID_ARGUMENTS' });
    const message = outcome.ok ? '' : outcome.message;
    expect(message).toContain(
      '"x; drop": not a parameter of throttle-rate; its parameters are window, start, end, bucket, deployment, model_version, app_role, operation, team.',
    );
    expect(message).toContain(
      'Parameter "window" of throttle-rate: expected a duration between 5m and 14d, like 24h.',
    );
    expect(message).toContain('Parameter "bucket" of throttle-rate: expected a duration between 1m and 24h');
    for (const notAnObject of ['text', [1], 7])
      expect(await governance.call(agent, 'throttle-rate', notAnObject)).toMatchObject({
        code: 'INVALID_ARGUMENTS',
      });
    expect(runs).toEqual([]);
    expect(security.recent(10).map((e) => [e.kind, e.user, e.reason])).toEqual(
      Array(4).fill(['agent-call-refused', 'mcp:triage', 'invalid-arguments']),
    );
  });

  it('records what was tried with configured secrets hidden', async () => {
    const { governance, security } = setUp();
    await governance.call(agent, 'throttle-rate', { deployment: SECRET, window: 'never' });
    expect(security.recent(1)[0]!.question).toBe(
      'throttle-rate {"deployment":"[REDACTED]","window":"never"}',
    );
  });

  it('refuses private queries and unknown tools by what they are', async () => {
    const { governance, security } = setUp();
    expect(await governance.call(agent, 'prompt-injection-sources', {})).toMatchObject({
      code: 'PRIVATE_QUERY',
    });
    expect(await governance.call(agent, 'drop_database', {})).toMatchObject({
      code: 'UNKNOWN_TOOL',
      message: 'There is no tool "drop_database"; tools/list lists the tools.',
    });
    expect(security.recent(10).map((e) => e.reason)).toEqual(['unknown-tool', 'private-query']);
  });

  it('rate-limits each principal before looking at the call, with a sentence saying when to retry', async () => {
    const limits = rateLimitPolicy.parse({ mcp: { perUser: { burst: 2, perMinute: 6 } } });
    const { governance, runs, security, clock } = setUp(limits);
    expect((await governance.call(agent, 'throttle-rate', {})).ok).toBe(true);
    expect((await governance.call(agent, 'no-such-tool', {})).ok).toBe(false);
    expect(await governance.call(agent, 'throttle-rate', {})).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'You have sent many MCP tool calls in a short time. Please try again in 10 seconds.',
    });
    expect((await governance.call({ id: 'mcp:other', displayName: 'other' }, 'throttle-rate', {})).ok).toBe(
      true,
    );
    clock.advance(10_000);
    expect((await governance.call(agent, 'throttle-rate', {})).ok).toBe(true);
    expect(runs).toHaveLength(3);
    expect(security.recent(1)[0]).toMatchObject({ user: 'mcp:triage', reason: 'rate-limited' });
  });

  it('answers a tool failure with its sentence, or with a reference when it is not written for people', async () => {
    const failing = (name: string, err: Error): AgentTool => ({
      name,
      title: name,
      description: name,
      input: z.strictObject({}),
      readOnly: false,
      async run() {
        throw err;
      },
    });
    const { governance, lines, security } = setUp(defaultRateLimits(), [
      failing(
        'propose_remediation',
        new UserFacingError('GUARDRAIL', 'namespace "kube-system" is not allowed'),
      ),
      failing('get_incident', new Error('connection string postgres://u:secret@db')),
    ]);
    expect(await governance.call(agent, 'propose_remediation', {})).toEqual({
      ok: false,
      code: 'GUARDRAIL',
      message: 'namespace "kube-system" is not allowed',
    });
    expect(security.recent(1)[0]).toMatchObject({ reason: 'proposal-refused' });
    const hidden = await governance.call(agent, 'get_incident', {});
    expect(hidden).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(hidden.ok ? '' : hidden.message).toMatch(/^Something went wrong \(ref [0-9a-f]{8}\)/);
    expect(hidden.ok ? '' : hidden.message).not.toContain('secret');
    expect(lines.at(-1)).toMatchObject({ code: 'MCP_TOOL_FAILED', tool: 'get_incident' });
  });
});
