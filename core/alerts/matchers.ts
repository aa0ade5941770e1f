import { z } from 'zod';
import { UserFacingError } from '../errors.ts';

/** One Alertmanager-style label matcher: `name=value`, `name!=value`, `name=~regex`, `name!~regex`. */
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

const MATCHER = /^\s*([A-Za-z_][\w.]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|(\S*))\s*$/;
const MAX_REGEX_LENGTH = 256;

/** Parses one matcher; throws a user-facing error that shows the accepted forms. */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m) {
    throw new UserFacingError(
      'BAD_MATCHER',
      `"${text}" is not a matcher. Write label=value, label!=value, label=~regex or label!~regex.`,
    );
  }
  const [, name, op, quoted, bare] = m;
  const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  const matcher = { name: name!, op: op as Matcher['op'], value };
  if (op === '=~' || op === '!~') compileRegex(matcher);
  return matcher;
}

const regexCache = new Map<string, RegExp>();

/**
 * Regex matchers are anchored, like Alertmanager's. A leading `(?i)` (RE2 syntax, common in
 * Alertmanager configs) makes the match case-insensitive. Bounded in length to keep matching cheap.
 */
function compileRegex(m: Matcher): RegExp {
  const cached = regexCache.get(m.value);
  if (cached) return cached;
  if (m.value.length > MAX_REGEX_LENGTH) {
    throw new UserFacingError(
      'BAD_MATCHER',
      `The regex for "${m.name}" is longer than ${MAX_REGEX_LENGTH} characters.`,
    );
  }
  try {
    const insensitive = m.value.startsWith('(?i)');
    const body = insensitive ? m.value.slice(4) : m.value;
    const re = new RegExp(`^(?:${body})$`, insensitive ? 'i' : '');
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(m.value, re);
    return re;
  } catch {
    throw new UserFacingError(
      'BAD_MATCHER',
      `"${m.value}" is not a valid regular expression for "${m.name}".`,
    );
  }
}

/** True when the label set satisfies one matcher. A missing label matches as the empty string. */
export function matchesOne(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const actual = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return actual === m.value;
    case '!=':
      return actual !== m.value;
    case '=~':
      return compileRegex(m).test(actual);
    case '!~':
      return !compileRegex(m).test(actual);
  }
}

/** True when every matcher holds (an empty list matches everything). */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => matchesOne(m, labels));
}

export function formatMatcher(m: Matcher): string {
  return /^[\w.:/-]*$/.test(m.value) && m.value !== ''
    ? `${m.name}${m.op}${m.value}`
    : `${m.name}${m.op}${JSON.stringify(m.value)}`;
}

/** zod schema for a matcher written as a string in config or policy files. */
export const matcherString = z.string().transform((text, ctx) => {
  try {
    return parseMatcher(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});
