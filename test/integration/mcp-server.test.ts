import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

const AGENT_TOKEN = 'agent-token-0123456789abcdef0123456789';
const OTHER_TOKEN = 'other-token-0123456789abcdef0123456789';
const FLOOD_TOKEN = 'flood-token-0123456789abcdef0123456789';
const WRONG_TOKEN = 'wrong-token-0123456789abcdef0123456789';

/** The console's users approve; the agent `mcp:agent` may propose cordons, `mcp:other` may not. */
const POLICY = `
rateLimits:
  kql: { perUser: { burst: 3, perMinute: 1 }, global: { burst: 100, perMinute: 600 } }
remediation:
  groups:
    oncall: ["console:alice", "console:bob", "console:carol", "mcp:agent"]
  actions:
    cordon-node: { propose: ["group:oncall"], approve: ["group:oncall"] }
`;

interface CardAction {
  type: string;
  verb?: string;
  data?: Record<string, unknown>;
}

const buttons = (card: Record<string, unknown> | null): CardAction[] =>
  ((card?.actions as CardAction[] | undefined) ?? []).filter((a) => a.type === 'Action.Execute');

describe('the governed MCP server, with the SDK client over HTTP against the real bot', () => {
  let bot: TestBot;
  const policyFile = join(tmpdir(), `mcp-policy-${process.pid}.yaml`);
  const clients: Client[] = [];

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${bot.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  }
  const call = async (client: Client, name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  const securityEvents = () =>
    readFileSync(join(bot.dataDir, 'security-events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; user: string; reason: string; question: string });
  const mcpCalls = () =>
    bot.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.action === 'mcp-call');
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await bot.flush();
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const queryRuns = async (query: string) => {
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    const m = new RegExp(
      `^oncall_bot_query_duration_seconds_count\\{query="${query}"[^}]*\\} (\\d+)`,
      'm',
    ).exec(metrics);
    return m ? Number(m[1]) : 0;
  };

  beforeAll(async () => {
    writeFileSync(policyFile, POLICY);
    bot = await startTestBot(
      {
        POLICY_FILE: policyFile,
        MCP_TOKENS: `agent:${AGENT_TOKEN}, other:${OTHER_TOKEN}, flood:${FLOOD_TOKEN}`,
      },
      new ManualClock(Date.now()),
      { localPlatform: true },
    );
    // The local telemetry is built in a worker at start; the first query waits for it.
    await bot.say('/kql slow-requests', 'warm-up');
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-ecc-xid-node-3.json'))).status).toBe(202);
    await settle();
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) await c.close();
    await bot?.stop();
    rmSync(policyFile, { force: true });
  });

  it('lists one tool per vetted query the router may run, the incident and GPU tools, and propose', async () => {
    const agent = await connect(AGENT_TOKEN);
    const { tools } = await agent.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'list_incidents',
        'get_incident',
        'get_gpu_node',
        'propose_remediation',
        'throttle-rate',
        'slow-requests',
        'gpu-node-state',
        'gpu-fleet-summary',
      ]),
    );
    // Private queries (user identities) are never tools.
    expect(names).not.toContain('prompt-injection-sources');
    const throttle = tools.find((t) => t.name === 'throttle-rate')!;
    expect(Object.keys(throttle.inputSchema.properties ?? {}).sort()).toEqual([
      'app_role',
      'bucket',
      'deployment',
      'end',
      'model_version',
      'operation',
      'start',
      'team',
      'window',
    ]);
    expect(throttle.inputSchema.additionalProperties).toBe(false);
    expect(throttle.annotations?.readOnlyHint).toBe(true);
    expect(tools.find((t) => t.name === 'propose_remediation')!.annotations?.readOnlyHint).toBe(false);
    // cost-per-team's price table is set by the policy file, never by an agent.
    expect(
      Object.keys(tools.find((t) => t.name === 'cost-per-team')!.inputSchema.properties ?? {}),
    ).not.toContain('prices');
  });

  it('runs a vetted query with parameters and answers rows, the KQL that ran and a short text', async () => {
    const agent = await connect(AGENT_TOKEN);
    const before = await queryRuns('throttle-rate');
    const result = await call(agent, 'throttle-rate', { deployment: 'gpt-4o', window: '30m', bucket: '5m' });
    expect(result.isError).toBeFalsy();
    const s = result.structuredContent as {
      rows: unknown[][];
      columns: { name: string }[];
      kql: string;
      params: Record<string, unknown>;
      rowCount: number;
    };
    expect(s.rowCount).toBeGreaterThan(0);
    expect(s.rows.length).toBe(s.rowCount);
    expect(s.columns.map((c) => c.name)).toContain('ThrottleRate');
    expect(s.kql).toMatch(/let deployment = "gpt-4o";/);
    expect(text(result)).toMatch(/^HTTP 429 throttle rate: \d+ rows\./);
    expect(await queryRuns('throttle-rate')).toBe(before + 1);
  });

  it('reads the catalog as resources: description, parameters and the KQL text', async () => {
    const agent = await connect(AGENT_TOKEN);
    const { resources } = await agent.listResources();
    expect(resources.map((r) => r.uri)).toContain('oncall://queries/throttle-rate');
    expect(resources.map((r) => r.uri)).not.toContain('oncall://queries/prompt-injection-sources');
    const read = await agent.readResource({ uri: 'oncall://queries/throttle-rate' });
    const entry = JSON.parse(String((read.contents[0] as { text: string }).text)) as Record<string, unknown>;
    expect(entry.description).toMatch(/HTTP 429/);
    expect(String(entry.kql)).toMatch(/^declare query_parameters\(/);
    expect(Object.keys((entry.parameters as { properties: object }).properties).sort()).toEqual([
      'app_role',
      'bucket',
      'deployment',
      'end',
      'model_version',
      'operation',
      'start',
      'team',
      'window',
    ]);
  });

  it('lists and gets an incident: card facts, alerts, evidence sections, timeline and suggestions', async () => {
    const agent = await connect(AGENT_TOKEN);
    const list = await call(agent, 'list_incidents', {});
    const incidents = (list.structuredContent as { incidents: { id: string; tier: string }[] }).incidents;
    expect(incidents).toEqual([expect.objectContaining({ id: 'INC-1', tier: 'P1' })]);
    const got = await call(agent, 'get_incident', { incident: 'INC-1' });
    expect(got.isError).toBeFalsy();
    const s = got.structuredContent as {
      incident: { tier: string; status: string };
      facts: [string, string][];
      alerts: { rule: string; labels: Record<string, string> }[];
      sections: { kind: string }[];
      timeline: { event: string }[];
      suggestedRemediations: { action: string; params: Record<string, unknown> }[];
    };
    expect(s.incident).toMatchObject({ tier: 'P1', status: 'open' });
    expect(s.facts.length).toBeGreaterThan(0);
    expect(s.alerts.length).toBeGreaterThan(0);
    expect(s.timeline[0]!.event).toBe('INC-1 opened');
    expect(s.suggestedRemediations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'drain-and-reset-gpu', params: { node: 'node-3', gpu: 5 } }),
      ]),
    );
    expect(text(got)).toMatch(/^INC-1 P1 open: /);
  });

  it('gets a GPU node with each GPU judged against the policy', async () => {
    const agent = await connect(AGENT_TOKEN);
    const r = await call(agent, 'get_gpu_node', { node: 'node-3' });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as { node: string; gpus: { gpu: number; level: string }[] };
    expect(s.node).toBe('node-3');
    expect(s.gpus.length).toBeGreaterThan(0);
    const unknown = await call(agent, 'get_gpu_node', { node: 'node-70' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/node-70/);
  });

  it('proposes a remediation in the incident thread that still needs two people for a P1', async () => {
    const agent = await connect(AGENT_TOKEN);
    const got = await call(agent, 'get_incident', { incident: 'INC-1' });
    const suggestion = (
      got.structuredContent as { suggestedRemediations: { action: string; params: Record<string, string> }[] }
    ).suggestedRemediations.find((r) => r.action === 'drain-and-reset-gpu')!;
    const proposed = await call(agent, 'propose_remediation', {
      incident: 'INC-1',
      action: 'drain-and-reset-gpu',
      params: suggestion.params,
    });
    expect(proposed.isError).toBeFalsy();
    const p = (proposed.structuredContent as { proposal: Record<string, unknown> }).proposal;
    expect(p).toMatchObject({ status: 'pending', tier: 'P1', requiredApprovals: 2, proposedBy: 'mcp:agent' });
    await settle();

    const incidentCard = (await bot.consoleMessages()).find((m) => m.card && m.text.includes('P1'))!;
    const proposal = (await bot.consoleMessages()).find(
      (m) => m.threadId === incidentCard.id && buttons(m.card).some((a) => a.verb === 'remediation-approve'),
    )!;
    expect(JSON.stringify(proposal.card)).toMatch(/node-3/);
    expect(JSON.stringify(proposal.card)).toMatch(/0 of 2/);
    expect(JSON.stringify(proposal.card)).toMatch(/mcp:agent/);
    // One person's approval is not enough for a P1.
    const approve = buttons(proposal.card).find((a) => a.verb === 'remediation-approve')!;
    await fetch(`${bot.url}/api/console/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user: 'alice',
        messageId: proposal.id,
        verb: 'remediation-approve',
        data: approve.data,
      }),
    });
    await settle();
    const half = (await bot.consoleMessages()).find((m) => m.id === proposal.id)!;
    expect(JSON.stringify(half.card)).toMatch(/1 of 2 \(console:alice\)/);
    expect(JSON.stringify(half.card)).toMatch(/Awaiting approval/);
    // The audit chain records the proposal with the agent's principal.
    const audit = await bot.say('/audit', 'bob');
    expect(JSON.stringify(audit.card)).toMatch(/mcp:agent/);
    expect(JSON.stringify(audit.card)).toMatch(/proposed/);
  });

  it('refuses a wrong or missing token with 401, before the body is read, and records it', async () => {
    const res = await fetch(`${bot.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${WRONG_TOKEN}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(JSON.stringify(await res.json())).toMatch(/Missing or wrong bearer token/);
    const none = await fetch(`${bot.url}/mcp`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    await expect(connect(WRONG_TOKEN)).rejects.toThrow(/Missing or wrong bearer token/);
    const events = securityEvents().filter((e) => e.reason === 'bad-token');
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events[0]).toMatchObject({ kind: 'agent-call-refused', user: 'mcp:?' });
  });

  it('refuses a private query by name, clearly, and records it', async () => {
    const agent = await connect(AGENT_TOKEN);
    const r = await call(agent, 'prompt-injection-sources', {});
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(
      /prompt-injection-sources shows user identities, so it is never answered through MCP/,
    );
    expect(securityEvents().at(-1)).toMatchObject({ user: 'mcp:agent', reason: 'private-query' });
    expect(await queryRuns('prompt-injection-sources')).toBe(0);
  });

  it('answers arguments that fail the schema with an error naming the parameter, and runs nothing', async () => {
    const agent = await connect(AGENT_TOKEN);
    const before = await queryRuns('throttle-rate');
    const bad = await call(agent, 'throttle-rate', { window: '1h | project secrets', deployment: 'gpt-4o' });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/Parameter "window" of throttle-rate: expected a duration between 5m and 14d/);
    const extra = await call(agent, 'throttle-rate', { query: 'AppRequests | take 1000' });
    expect(extra.isError).toBe(true);
    expect(text(extra)).toMatch(
      /"query": not a parameter of throttle-rate; its parameters are window, start, end, bucket, deployment/,
    );
    expect((extra.structuredContent as { error: { code: string } }).error.code).toBe('INVALID_ARGUMENTS');
    const proposal = await call(agent, 'propose_remediation', { incident: 'INC-1', action: 'rm -rf' });
    expect(text(proposal)).toMatch(/Parameter "action" of propose_remediation/);
    expect(await queryRuns('throttle-rate')).toBe(before);
    const refused = securityEvents().filter((e) => e.reason === 'invalid-arguments');
    expect(refused.map((e) => e.question)).toEqual(
      expect.arrayContaining([expect.stringContaining('AppRequests | take 1000')]),
    );
  });

  it('refuses a proposal the policy does not allow, records it and audits it with the principal', async () => {
    const other = await connect(OTHER_TOKEN);
    const r = await call(other, 'propose_remediation', {
      incident: 'INC-1',
      action: 'cordon-node',
      params: { node: 'node-3' },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/mcp:other may not propose cordon-node/);
    expect(securityEvents().at(-1)).toMatchObject({ user: 'mcp:other', reason: 'proposal-refused' });
    const audit = await bot.say('/audit', 'bob');
    expect(JSON.stringify(audit.card)).toMatch(/mcp:other/);
  });

  it('rate-limits per principal with a clear error, and records it', async () => {
    const flood = await connect(FLOOD_TOKEN);
    const answers: CallToolResult[] = [];
    for (let i = 0; i < 4; i++) answers.push(await call(flood, 'slow-requests', {}));
    expect(answers.slice(0, 3).every((a) => !a.isError)).toBe(true);
    expect(answers[3]!.isError).toBe(true);
    expect(text(answers[3]!)).toMatch(
      /You have sent many \/kql queries in a short time\. Please try again in \d+ seconds\./,
    );
    expect(securityEvents().at(-1)).toMatchObject({ user: 'mcp:flood', reason: 'rate-limited' });
    // Another agent's bucket is its own.
    const agent = await connect(AGENT_TOKEN);
    expect((await call(agent, 'slow-requests', {})).isError).toBeFalsy();
  });

  it('records every call with its principal, tool and outcome, and never logs a token', async () => {
    const calls = mcpCalls();
    expect(
      calls.some((c) => c.user === 'mcp:agent' && c.tool === 'throttle-rate' && c.outcome === 'ok'),
    ).toBe(true);
    expect(
      calls.some((c) => c.user === 'mcp:agent' && c.outcome === 'refused' && c.code === 'PRIVATE_QUERY'),
    ).toBe(true);
    expect(calls.some((c) => c.user === 'mcp:flood' && c.code === 'RATE_LIMITED')).toBe(true);
    // Even an agent that sends its token as an argument does not get it written anywhere.
    await call(await connect(AGENT_TOKEN), 'throttle-rate', { deployment: AGENT_TOKEN, window: 'x' });
    expect(readFileSync(join(bot.dataDir, 'security-events.jsonl'), 'utf8')).not.toContain(AGENT_TOKEN);
    const all = bot.logs.join('\n');
    for (const t of [AGENT_TOKEN, OTHER_TOKEN, FLOOD_TOKEN, WRONG_TOKEN]) expect(all).not.toContain(t);
    // The refused calls show in /security beside refused questions.
    const listing = await bot.say('/security', 'bob');
    expect(JSON.stringify(listing.card)).toMatch(/private-query/);
  });
});
