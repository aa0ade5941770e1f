export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Returns [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 60_000, random: Math.random };

/**
 * Exponential backoff with ±20 % jitter, capped; a Retry-After from the platform is a floor, never
 * shortened by jitter.
 */
export function nextDelayMs(attempts: number, retryAfterMs: number | undefined, o: BackoffOptions): number {
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = exp * (0.8 + 0.4 * o.random());
  return Math.max(retryAfterMs ?? 0, Math.round(jittered));
}
