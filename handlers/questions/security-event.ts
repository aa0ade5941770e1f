import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Why a question in words was refused. */
export const questionRefusalReason = z.enum([
  'instruction-override',
  'prompt-disclosure',
  'query-text',
  'destructive-command',
  'exfiltration',
  'secret-request',
  'shell-command',
  'rate-limited',
]);

/** Why an agent's (MCP client's) call was refused. */
export const agentRefusalReason = z.enum([
  /** No or an unknown bearer token on `/mcp`. */
  'bad-token',
  /** A tool that does not exist, or a private query (never offered to agents). */
  'unknown-tool',
  'private-query',
  /** Arguments that fail the tool's schema; nothing ran. */
  'invalid-arguments',
  'rate-limited',
  /** The approval flow refused the proposal (not authorised, guardrail, dry run, rate limit). */
  'proposal-refused',
]);

const common = {
  at: z.iso.datetime(),
  /** The platform-qualified user, or the agent's principal `mcp:<name>`. */
  user: z.string(),
  /** What was asked (the question, or the tool and its arguments), cut to 500 characters. */
  question: z.string().max(500),
  /** SHA-256 of the full text, to count repeats without storing long payloads. */
  questionSha256: z.string().regex(/^[0-9a-f]{64}$/),
};

/**
 * A refused or suspicious question, or a refused agent call, for the `/security` listing. What
 * was asked is kept (truncated) because reviewers need to see what was tried; it is never executed.
 */
export const securityEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('question-refused'), reason: questionRefusalReason, ...common }),
  z.object({ kind: z.literal('agent-call-refused'), reason: agentRefusalReason, ...common }),
]);
export type SecurityEvent = z.infer<typeof securityEventSchema>;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Builds the event for a refused question. */
export function buildSecurityEvent(input: {
  at: Date;
  user: string;
  reason: z.infer<typeof questionRefusalReason>;
  question: string;
}): SecurityEvent {
  return securityEventSchema.parse({
    kind: 'question-refused',
    at: input.at.toISOString(),
    user: input.user,
    reason: input.reason,
    question: input.question.slice(0, 500),
    questionSha256: digest(input.question),
  });
}

/** Builds the event for a refused agent call; `call` is the tool and its arguments as text. */
export function buildAgentSecurityEvent(input: {
  at: Date;
  principal: string;
  reason: z.infer<typeof agentRefusalReason>;
  call: string;
}): SecurityEvent {
  return securityEventSchema.parse({
    kind: 'agent-call-refused',
    at: input.at.toISOString(),
    user: input.principal,
    reason: input.reason,
    question: input.call.slice(0, 500),
    questionSha256: digest(input.call),
  });
}
