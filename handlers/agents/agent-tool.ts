import type { z } from 'zod';
import type { ChatUser } from '../../core/chat-surface.ts';
import type { LimitedWork } from '../rate-limit/rate-limit-policy.ts';

/** What a tool answers: structured content for the agent, and a short text for people and logs. */
export interface ToolOutput {
  structured: Record<string, unknown>;
  text: string;
}

/**
 * One tool an agent (MCP client) may call. `input` is the only definition of its arguments: the
 * MCP adapter lists it as the input schema and the governance validates every call with it before
 * anything runs. Tools only read, except `propose_remediation`, which asks people to approve.
 */
export interface AgentTool {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  /** True for tools that change nothing (everything but proposing). */
  readOnly: boolean;
  /** The limit a call is charged to besides `mcp` (shared with chat for queries). */
  work?: LimitedWork;
  run(args: Record<string, unknown>, agent: ChatUser): Promise<ToolOutput>;
}

/** A catalog entry an agent can read to explain what it ran (an MCP resource). */
export interface AgentResource {
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: 'application/json';
  read(): Record<string, unknown>;
}

/** Rows in structured content at most; the text says how many were left out. */
export const MAX_ROWS = 200;

/** A few rows of a table as tab-separated text: the short text rendering of a result. */
export function textTable(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  max = 10,
): string {
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const lines = [columns.join('\t'), ...rows.slice(0, max).map((r) => r.map(cell).join('\t'))];
  if (rows.length > max) lines.push(`… ${rows.length - max} more rows`);
  return lines.join('\n');
}
