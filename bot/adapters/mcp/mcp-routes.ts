import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatUser } from '../../../core/chat-surface.ts';
import type { Logger } from '../../../core/logger.ts';
import type { AgentGovernance } from '../../../handlers/agents/agent-governance.ts';
import type { AgentResource } from '../../../handlers/agents/agent-tool.ts';
import { TokenBuckets } from '../../../handlers/rate-limit/token-buckets.ts';
import type { createAgentAuthenticator } from './agent-tokens.ts';
import { createAgentMcpServer } from './mcp-server.ts';

/** Where agents connect. */
export const MCP_PATH = '/mcp';

/** A JSON-RPC message of an agent is small; a bigger body is refused before it is buffered. */
const MCP_BODY_LIMIT = 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** The agent a `/mcp` request authenticated as. */
    agent: ChatUser | null;
  }
}

export interface McpRouteDeps {
  authenticate: ReturnType<typeof createAgentAuthenticator>;
  governance: AgentGovernance;
  tools: readonly Tool[];
  resources: readonly AgentResource[];
  logger: Logger;
  now: () => number;
}

/** A JSON-RPC error answer outside any tool (no session, wrong method, no token). */
function rpcError(reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).send({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * `POST /mcp`: the Streamable HTTP transport of MCP, stateless (each request is answered on its
 * own, with JSON), behind a bearer token per agent checked before the body is read. `GET` (a
 * server-initiated stream) and `DELETE` (ending a session) have nothing to do without sessions.
 */
export function registerMcpRoutes(app: FastifyInstance, deps: McpRouteDeps): void {
  // A flood of bad tokens records a bounded number of security events, not one line each.
  const badTokenEvents = new TokenBuckets({ burst: 20, perMinute: 30, now: deps.now });
  app.decorateRequest('agent', null);

  async function authenticate(req: FastifyRequest, reply: FastifyReply) {
    const found = deps.authenticate(req.headers.authorization);
    if (found) {
      req.agent = { id: found.principal, displayName: found.name };
      return;
    }
    const what = `${req.method} ${MCP_PATH} from ${req.ip} (${req.headers.authorization ? 'wrong' : 'no'} bearer token)`;
    if (badTokenEvents.take('*').allowed) deps.governance.recordBadToken(what);
    deps.logger.warn({ code: 'MCP_UNAUTHORIZED', ip: req.ip }, 'mcp request without a valid token');
    await reply
      .code(401)
      .header('WWW-Authenticate', 'Bearer realm="oncall-bot mcp"')
      .send({
        jsonrpc: '2.0',
        error: {
          code: -32001,
          message: 'Missing or wrong bearer token: send "Authorization: Bearer <token of MCP_TOKENS>".',
        },
        id: null,
      });
  }

  app.post(MCP_PATH, { onRequest: authenticate, bodyLimit: MCP_BODY_LIMIT }, async (req, reply) => {
    const agent = req.agent!;
    const mcp = createAgentMcpServer({
      agent,
      governance: deps.governance,
      tools: deps.tools,
      resources: deps.resources,
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    // The transport writes the answer itself; Fastify must not answer a second time.
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    try {
      await mcp.connect(transport);
      await transport.handleRequest(req.raw, reply.raw, req.body);
    } catch (err) {
      deps.logger.error({ err, code: 'MCP_REQUEST_FAILED', user: agent.id }, 'mcp request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(
          JSON.stringify({
            jsonrpc: '2.0',
            error: { code: -32603, message: `Internal error (ref ${req.id}).` },
            id: null,
          }),
        );
      }
    }
  });
  const noSessions = async (_req: FastifyRequest, reply: FastifyReply) =>
    rpcError(
      reply.header('Allow', 'POST'),
      405,
      -32000,
      'This server is stateless: send each request with POST.',
    );
  app.get(MCP_PATH, { onRequest: authenticate }, noSessions);
  app.delete(MCP_PATH, { onRequest: authenticate }, noSessions);
}
