import { createHash, timingSafeEqual } from 'node:crypto';
import { agentName, agentPrincipal } from '../../../core/agent-principal.ts';

/** One MCP client: its name (principal `mcp:<name>`) and its bearer token. */
export interface AgentClient {
  name: string;
  token: string;
}

/** A bearer token shorter than this is too easy to guess. */
export const MIN_AGENT_TOKEN_LENGTH = 32;

/**
 * Parses `MCP_TOKENS` (`name:token,name:token`). Problems are pushed as complete lines naming the
 * client, never the token; duplicate names or tokens are refused, since either would make two
 * clients one principal.
 */
export function parseAgentTokens(text: string, problems: string[]): AgentClient[] {
  const clients: AgentClient[] = [];
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  entries.forEach((entry, i) => {
    const problem = checkEntry(entry, i, clients);
    if (problem) problems.push(problem);
  });
  return clients;
}

/** Why one entry cannot be used, or undefined when it was added to `clients`. */
function checkEntry(entry: string, i: number, clients: AgentClient[]): string | undefined {
  const colon = entry.indexOf(':');
  const name = colon < 0 ? '' : entry.slice(0, colon);
  const token = colon < 0 ? '' : entry.slice(colon + 1);
  const where = `MCP_TOKENS: entry ${i + 1}${agentName.safeParse(name).success ? ` (${name})` : ''}`;
  if (colon < 0) return `${where}: write name:token, e.g. copilot:<token>`;
  if (!agentName.safeParse(name).success)
    return `${where}: the name must be a short lower-case name such as copilot or triage-agent`;
  if (token.length < MIN_AGENT_TOKEN_LENGTH || /\s/.test(token))
    return `${where}: the token must be at least ${MIN_AGENT_TOKEN_LENGTH} characters without spaces. Generate one with \`openssl rand -hex 32\``;
  if (clients.some((c) => c.name === name)) return `${where}: the name ${name} is listed twice`;
  if (clients.some((c) => c.token === token))
    return `${where}: the same token is given to two clients; give each its own`;
  clients.push({ name, token });
  return undefined;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Finds the principal of a bearer token in time independent of the token: each configured
 * token's SHA-256 is compared with the presented one's (equal lengths, `timingSafeEqual`), all of
 * them, without stopping at a match.
 */
export function createAgentAuthenticator(clients: readonly AgentClient[]) {
  const known = clients.map((c) => ({
    principal: agentPrincipal(c.name),
    name: c.name,
    digest: digest(c.token),
  }));
  return (authorization: string | undefined): { principal: string; name: string } | undefined => {
    const m = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    const presented = digest(m?.[1] ?? '');
    let found: { principal: string; name: string } | undefined;
    for (const k of known) {
      if (timingSafeEqual(k.digest, presented) && m) found = { principal: k.principal, name: k.name };
    }
    return found;
  };
}
