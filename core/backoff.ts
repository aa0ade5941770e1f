export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Returns [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 60_000, random: Math.random };

/**
 * When to try again. A platform that says when (Retry-After) is taken at its word: the number of
 * earlier attempts does not stretch it (a message deferred by pacing, then throttled once, must
 * not wait minutes). Without Retry-After (an outage, a timeout): exponential backoff with ±20 %
 * jitter, capped.
 */
export function nextDelayMs(attempts: number, retryAfterMs: number | undefined, o: BackoffOptions): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.8 + 0.4 * o.random()));
}
