import type { z } from 'zod';
import { AppError } from './errors.ts';

/** Start-up configuration problems, each already phrased as "what is wrong — how to fix it". */
export class ConfigError extends AppError {
  constructor(readonly problems: string[]) {
    super('CONFIG_INVALID', `Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Turns zod issues into one line each, prefixed with where the value came from. */
export function describeIssues(
  error: z.ZodError,
  origin: string,
  hints: Record<string, string> = {},
): string[] {
  return error.issues.map((issue) => describeIssue(issue, origin, hints));
}

/** One zod issue as one line, prefixed with where the value came from. */
export function describeIssue(
  issue: Pick<z.core.$ZodIssue, 'path' | 'message'>,
  origin: string,
  hints: Record<string, string> = {},
): string {
  const path = issue.path.join('.');
  const where = path ? (origin === 'environment' ? path : `${origin}: ${path}`) : origin;
  const hint = hints[path];
  return `${where}: ${issue.message}${hint ? `. ${hint}` : ''}`;
}
