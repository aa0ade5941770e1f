import { randomUUID } from 'node:crypto';
import type { ChatUser } from '../../core/chat-surface.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { SecurityLog } from '../ask/security-log.ts';
import { type agentRefusalReason, buildAgentSecurityEvent } from '../questions/security-event.ts';
import { describeLimit, type WorkLimiter } from '../rate-limit/work-limiter.ts';
import type { AgentTool, ToolOutput } from './agent-tool.ts';
import { describeArgumentIssues } from './describe-arguments.ts';

type RefusalReason = (typeof agentRefusalReason)['options'][number];

/** A call refused or failed: a stable code and a sentence for the agent. */
export interface ToolRefusal {
  ok: false;
  code: string;
  message: string;
}

export type Admission = { ok: true; tool: AgentTool; args: Record<string, unknown> } | ToolRefusal;
export type ToolOutcome = { ok: true; output: ToolOutput } | ToolRefusal;

export interface AgentGovernanceOptions {
  tools: readonly AgentTool[];
  /** Ids of private queries: asked for by name, they are refused as such and recorded. */
  privateQueries: ReadonlySet<string>;
  limiter: WorkLimiter;
  security: SecurityLog;
  logger: Logger;
  now: () => number;
  /** Hides configured secrets (an agent's own token, say) in what is recorded of a call. */
  scrub?: (text: string) => string;
}

/** Refusals of the approval flow worth a security event (the audit chain has them too). */
const PROPOSAL_REFUSALS = new Set([
  'NOT_AUTHORISED',
  'GUARDRAIL',
  'DRY_RUN_FAILED',
  'RATE_LIMITED',
  'ACTION_DISABLED',
  'REMEDIATION_OFF',
  'BAD_PARAMETERS',
]);

/** The call as reviewers read it in `/security`: tool name and arguments, as data. */
function describeCall(name: string, args: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(args ?? {});
  } catch {
    text = '(unserialisable arguments)';
  }
  return `${name.slice(0, 100)} ${text}`;
}

/**
 * The policy every agent call passes, in this order, before anything runs: the principal's rate
 * limits (`mcp`, then the tool's own: `kql`/`gpu` shared with chat, `propose`), a tool that exists
 * (private queries are never tools), and arguments that satisfy the tool's zod schema. A refusal
 * is answered with a sentence naming what is wrong and recorded as a security event; every call,
 * refused or run, is logged with the principal, the tool and the outcome.
 */
export function createAgentGovernance(options: AgentGovernanceOptions) {
  const byName = new Map(options.tools.map((t) => [t.name, t]));

  function log(agent: ChatUser, tool: string, outcome: string, fields: Record<string, unknown> = {}) {
    options.logger.info(
      { action: 'mcp-call', user: agent.id, tool: tool.slice(0, 100), outcome, ...fields },
      'mcp call',
    );
  }

  function refuse(
    agent: ChatUser,
    name: string,
    args: unknown,
    reason: RefusalReason,
    code: string,
    message: string,
  ): ToolRefusal {
    options.security.record(
      buildAgentSecurityEvent({
        at: new Date(options.now()),
        principal: agent.id,
        reason,
        call: (options.scrub ?? ((t: string) => t))(describeCall(name, args)),
      }),
    );
    log(agent, name, 'refused', { code, reason });
    return { ok: false, code, message };
  }

  function takeLimit(agent: ChatUser, work: 'mcp' | NonNullable<AgentTool['work']>) {
    const decision = options.limiter.take(work, agent.id);
    return decision.allowed ? undefined : describeLimit(work, decision);
  }

  /** Checks a call before anything runs. */
  function admit(agent: ChatUser, name: string, args: unknown): Admission {
    const limited = takeLimit(agent, 'mcp');
    if (limited) return refuse(agent, name, args, 'rate-limited', 'RATE_LIMITED', limited);
    const tool = byName.get(name);
    if (!tool) {
      if (options.privateQueries.has(name))
        return refuse(
          agent,
          name,
          args,
          'private-query',
          'PRIVATE_QUERY',
          `${name} shows user identities, so it is never answered through MCP; a person authorised by the policy asks for it with /kql ${name} in a direct message to the bot.`,
        );
      return refuse(
        agent,
        name,
        args,
        'unknown-tool',
        'UNKNOWN_TOOL',
        `There is no tool "${name.slice(0, 64)}"; tools/list lists the tools.`,
      );
    }
    const parsed = tool.input.safeParse(args ?? {});
    if (!parsed.success)
      return refuse(
        agent,
        name,
        args,
        'invalid-arguments',
        'INVALID_ARGUMENTS',
        describeArgumentIssues(tool.name, tool.input, parsed.error),
      );
    if (tool.work) {
      const own = takeLimit(agent, tool.work);
      if (own) return refuse(agent, name, args, 'rate-limited', 'RATE_LIMITED', own);
    }
    // The raw values: each tool's own path validates them again (the query backends before binding).
    return { ok: true, tool, args: args as Record<string, unknown> };
  }

  /** Runs an admitted call; refusals of the approval flow are recorded like the gate's. */
  async function run(agent: ChatUser, admitted: Extract<Admission, { ok: true }>): Promise<ToolOutcome> {
    const { tool, args } = admitted;
    const started = options.now();
    try {
      const output = await tool.run(args, agent);
      log(agent, tool.name, 'ok', { ms: options.now() - started });
      return { ok: true, output };
    } catch (err) {
      if (err instanceof UserFacingError) {
        if (tool.name === 'propose_remediation' && PROPOSAL_REFUSALS.has(err.code))
          return refuse(agent, tool.name, args, 'proposal-refused', err.code, err.message);
        log(agent, tool.name, 'error', { code: err.code, ms: options.now() - started });
        return { ok: false, code: err.code, message: err.message };
      }
      const ref = randomUUID().slice(0, 8);
      options.logger.error(
        { err, code: 'MCP_TOOL_FAILED', user: agent.id, tool: tool.name, ref },
        'mcp tool failed',
      );
      return {
        ok: false,
        code: 'INTERNAL',
        message: `Something went wrong (ref ${ref}); the bot's logs have the details.`,
      };
    }
  }

  return {
    tools: options.tools,
    admit,
    run,
    /** Admits and runs in one step (callers that have no gate of their own). */
    async call(agent: ChatUser, name: string, args: unknown): Promise<ToolOutcome> {
      const admitted = admit(agent, name, args);
      return admitted.ok ? run(agent, admitted) : admitted;
    },
    /** Records a request refused before it named a tool (no or a wrong bearer token). */
    recordBadToken(call: string): void {
      options.security.record(
        buildAgentSecurityEvent({
          at: new Date(options.now()),
          principal: 'mcp:?',
          reason: 'bad-token',
          call,
        }),
      );
    },
  };
}

export type AgentGovernance = ReturnType<typeof createAgentGovernance>;
