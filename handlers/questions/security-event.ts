import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A refused or suspicious question, for the store and the `/security` listing. The question is
 * kept (truncated) because reviewers need to see what was tried; it is never executed.
 */
export const securityEventSchema = z.object({
  kind: z.literal('question-refused'),
  at: z.iso.datetime(),
  user: z.string(),
  reason: z.enum([
    'instruction-override',
    'prompt-disclosure',
    'query-text',
    'destructive-command',
    'exfiltration',
    'secret-request',
    'shell-command',
    'rate-limited',
  ]),
  /** The question as typed, cut to 500 characters. */
  question: z.string().max(500),
  /** SHA-256 of the full question, to count repeats without storing long payloads. */
  questionSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SecurityEvent = z.infer<typeof securityEventSchema>;

/** Builds the event for a refused question. */
export function buildSecurityEvent(input: {
  at: Date;
  user: string;
  reason: SecurityEvent['reason'];
  question: string;
}): SecurityEvent {
  return securityEventSchema.parse({
    kind: 'question-refused',
    at: input.at.toISOString(),
    user: input.user,
    reason: input.reason,
    question: input.question.slice(0, 500),
    questionSha256: createHash('sha256').update(input.question).digest('hex'),
  });
}
