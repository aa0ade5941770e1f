import { z } from 'zod';

/**
 * Agents (MCP clients) act as principals of their own, `mcp:<name>`, never as a person: they may
 * read and propose, and the approval flow refuses them as approvers whatever a policy says.
 */
export const AGENT_PRINCIPAL_PREFIX = 'mcp:';

/** The name an MCP client is configured under (`MCP_TOKENS=name:token`). */
export const agentName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a short lower-case name such as copilot or triage-agent');

/** The principal of the MCP client configured as `name`. */
export function agentPrincipal(name: string): string {
  return `${AGENT_PRINCIPAL_PREFIX}${name}`;
}

/** True for the principal of an agent (an MCP client), which can never count as an approver. */
export function isAgentPrincipal(id: string): boolean {
  return id.startsWith(AGENT_PRINCIPAL_PREFIX);
}
