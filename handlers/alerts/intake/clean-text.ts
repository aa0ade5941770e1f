/**
 * Text normalisation at the intake edge. PostgreSQL refuses U+0000 in text and JSON, and a lone
 * UTF-16 surrogate cannot be encoded as UTF-8, so either would make a commit fail on one engine
 * and not on the other. Both are replaced with U+FFFD (the replacement character) before any
 * schema sees the body, so the stored text is the same on SQLite and PostgreSQL and a real
 * sender's alert is never refused for one odd character.
 */

const REPLACEMENT = '\uFFFD';
/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point.
const UNSTORABLE_TEST = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `text` with every NUL and lone surrogate replaced by U+FFFD. */
export function cleanText(text: string): string {
  return UNSTORABLE_TEST.test(text) ? text.replace(UNSTORABLE, REPLACEMENT) : text;
}

/**
 * No sender's schema nests deeper than this; below it values are left as they are (no schema keeps
 * them), so a hostile, deeply nested body cannot overflow the stack.
 */
const MAX_DEPTH = 64;

/** A parsed JSON value with {@link cleanText} applied to every string and object key. */
export function cleanJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => cleanJson(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a "__proto__" key stays data.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanJson(v, depth + 1)]));
  }
  return value;
}
