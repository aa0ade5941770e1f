import type { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { cleanJson } from './clean-text.ts';

/** One problem found in a webhook body, located by a readable path such as `alerts[1].status`. */
export interface IntakeIssue {
  path: string;
  message: string;
}

/** At most this many issues are kept: enough to fix a payload, too few to echo a hostile one back. */
const MAX_ISSUES = 10;

/**
 * A webhook body that does not have the sender's documented shape. The HTTP layer answers 400 with
 * {@link IntakeParseError.message}; nothing from the payload is stored.
 */
export class IntakeParseError extends AppError {
  declare readonly code: 'MALFORMED_PAYLOAD';

  constructor(readonly issues: readonly IntakeIssue[]) {
    const [first] = issues;
    const head = first ? `${first.path}: ${first.message}` : 'payload: malformed';
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    super('MALFORMED_PAYLOAD', head + more);
  }

  /** Path of the first problem, e.g. `alerts[1].status`. */
  get path(): string {
    return this.issues[0]?.path ?? 'payload';
  }
}

type PathKey = PropertyKey;

/**
 * Parses `value` with `schema` or throws an {@link IntakeParseError} naming each bad field. `at` is
 * the location of `value` inside the whole body, so nested parses still report full paths. Strings
 * are first normalised by {@link cleanJson}.
 */
export function parsePayload<S extends z.ZodType>(
  schema: S,
  value: unknown,
  at: readonly PathKey[] = [],
): z.output<S> {
  // Every parser passes here: NUL and lone surrogates are replaced the same way for both engines.
  const result = schema.safeParse(cleanJson(value), { reportInput: true });
  if (result.success) return result.data;
  throw new IntakeParseError(
    result.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
      path: formatPath([...at, ...issue.path]),
      message: describeIssue(issue),
    })),
  );
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['alerts', 1, 'labels', 'a b']` → `alerts[1].labels["a b"]`; the empty path is the whole payload. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key).slice(0, 64))}]`;
  }
  return out || 'payload';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const got = issue.input === undefined ? 'missing' : `got ${preview(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, ${got}`;
    case 'invalid_value':
      return `expected ${listAlternatives(issue.values.map((v) => JSON.stringify(v)))}, ${got}`;
    case 'too_big':
      return `must have at most ${String(issue.maximum)} ${unitOf(issue.origin)}`;
    case 'too_small':
      return `must have at least ${String(issue.minimum)} ${unitOf(issue.origin)}`;
    case 'invalid_format':
      return `expected ${issue.format}, ${got}`;
    case 'invalid_union':
      return `does not match any accepted form, ${got}`;
    default:
      return issue.message;
  }
}

function unitOf(origin: string): string {
  if (origin === 'string') return 'characters';
  if (origin === 'array' || origin === 'set') return 'items';
  return '';
}

function listAlternatives(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** A short, safe rendering of an offending value; never the whole value. */
export function preview(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
