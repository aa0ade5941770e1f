import { describe, expect, it } from 'vitest';
import { createAgentAuthenticator, parseAgentTokens } from '../../../../bot/adapters/mcp/agent-tokens.ts';
import { loadConfig } from '../../../../bot/config.ts';
import { ConfigError } from '../../../../core/config-error.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('MCP_TOKENS', () => {
  it('is off unless set, and gives each name its principal and its token to the scrubber', () => {
    expect(loadConfig({}).mcp).toBeUndefined();
    const config = loadConfig({ MCP_TOKENS: ` copilot:${A} , triage-agent:${B},` });
    expect(config.mcp?.clients).toEqual([
      { name: 'copilot', token: A },
      { name: 'triage-agent', token: B },
    ]);
    expect(config.secrets).toEqual(expect.arrayContaining([A, B]));
  });

  it('names each bad entry and how to fix it, never echoing a token', () => {
    const problems: string[] = [];
    parseAgentTokens(`copilot:short, Bad Name:${A}, nocolon, copilot:${B}, dup:${B}`, problems);
    expect(problems).toEqual([
      'MCP_TOKENS: entry 1 (copilot): the token must be at least 32 characters without spaces. Generate one with `openssl rand -hex 32`',
      'MCP_TOKENS: entry 2: the name must be a short lower-case name such as copilot or triage-agent',
      'MCP_TOKENS: entry 3: write name:token, e.g. copilot:<token>',
      'MCP_TOKENS: entry 5 (dup): the same token is given to two clients; give each its own',
    ]);
    expect(problems.join('\n')).not.toContain(A);
    expect(() => loadConfig({ MCP_TOKENS: `x:${A},x:${B}` })).toThrow(ConfigError);
    try {
      loadConfig({ MCP_TOKENS: `x:${A},x:${B}` });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual(['MCP_TOKENS: entry 2 (x): the name x is listed twice']);
    }
  });
});

describe('the agent authenticator', () => {
  const authenticate = createAgentAuthenticator([
    { name: 'copilot', token: A },
    { name: 'triage', token: B },
  ]);

  it('finds the principal of a configured bearer token', () => {
    expect(authenticate(`Bearer ${A}`)).toEqual({ principal: 'mcp:copilot', name: 'copilot' });
    expect(authenticate(`bearer ${B} `)).toEqual({ principal: 'mcp:triage', name: 'triage' });
  });

  it('refuses a missing, malformed, wrong, prefixed or extended token', () => {
    for (const header of [
      undefined,
      '',
      A,
      `Basic ${A}`,
      `Bearer ${A.slice(1)}`,
      `Bearer ${A}x`,
      `Bearer x${A}`,
    ])
      expect(authenticate(header)).toBeUndefined();
  });
});
