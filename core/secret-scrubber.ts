/** Secrets shorter than this are not scrubbed by value (too likely to match ordinary text). */
const MIN_SECRET_LENGTH = 8;
export const REDACTED = '[REDACTED]';

/**
 * Replaces every occurrence of a known secret value with a marker. Applied to every log line,
 * error text and card before it leaves the process, so a secret that ends up in a message by
 * accident (an upstream error echoing a URL with a key, say) is still never written.
 */
export function createSecretScrubber(secrets: Iterable<string | undefined>): (text: string) => string {
  const values = [...new Set([...secrets].filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))];
  if (values.length === 0) return (text) => text;
  // Longest first, so a secret that contains another is replaced whole.
  values.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}
