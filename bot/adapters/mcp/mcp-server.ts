import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ChatUser } from '../../../core/chat-surface.ts';
import type { AgentGovernance, ToolOutcome } from '../../../handlers/agents/agent-governance.ts';
import type { AgentResource } from '../../../handlers/agents/agent-tool.ts';

/** What the server says it is in `initialize`. */
const SERVER_INFO = { name: 'oncall-bot', version: '0.1.0' };

const INSTRUCTIONS =
  'The on-call bot: read incidents, run vetted queries (each tool is one reviewed query with checked parameters) and propose remediations that people approve in the incident thread. You cannot run query text, approve, or change anything yourself.';

/** The tool list as MCP shows it, built once from the tools' zod schemas (input side). */
export function listTools(governance: AgentGovernance): Tool[] {
  return governance.tools.map((t) => ({
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) as Tool['inputSchema'],
    annotations: {
      title: t.title,
      readOnlyHint: t.readOnly,
      destructiveHint: false,
      idempotentHint: t.readOnly,
      openWorldHint: false,
    },
  }));
}

/** An outcome as a tool result: structured content plus its short text, or a tool error. */
export function toCallToolResult(outcome: ToolOutcome): CallToolResult {
  if (outcome.ok)
    return {
      content: [{ type: 'text', text: outcome.output.text }],
      structuredContent: outcome.output.structured,
    };
  return {
    content: [{ type: 'text', text: outcome.message }],
    structuredContent: { error: { code: outcome.code, message: outcome.message } },
    isError: true,
  };
}

/**
 * One MCP server for one HTTP request of one agent (stateless Streamable HTTP: nothing is shared
 * between requests but the governance). Resources are the SDK's own; tools are listed and called
 * through the governance, whose checks must come before anything reads the arguments, so the
 * tool requests are answered by its handlers rather than by `registerTool`'s validation.
 */
export function createAgentMcpServer(options: {
  agent: ChatUser;
  governance: AgentGovernance;
  tools: readonly Tool[];
  resources: readonly AgentResource[];
}): McpServer {
  const mcp = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
  for (const r of options.resources) {
    mcp.registerResource(
      r.name,
      r.uri,
      { title: r.title, description: r.description, mimeType: r.mimeType },
      (uri) => ({
        contents: [{ uri: uri.href, mimeType: r.mimeType, text: JSON.stringify(r.read(), null, 2) }],
      }),
    );
  }
  mcp.server.registerCapabilities({ tools: {} });
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...options.tools] }));
  mcp.server.setRequestHandler(CallToolRequestSchema, async (request) =>
    toCallToolResult(
      await options.governance.call(options.agent, request.params.name, request.params.arguments),
    ),
  );
  return mcp;
}
