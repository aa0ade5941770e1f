import type { Clock } from '../../../core/clock.ts';

/**
 * Token buckets per method (and per channel when the rule says so), driven by an injected clock so
 * tests decide when time passes. Slack's `chat.postMessage` allows about one message per second
 * per channel with short bursts; other methods have per-minute tiers (formats.md §6).
 */
export interface RateLimitRule {
  /** Messages allowed at once after a quiet period. */
  burst: number;
  /** One more call is allowed every `intervalMs`. */
  intervalMs: number;
  /** Count each channel separately (chat.postMessage) instead of the whole workspace. */
  perChannel: boolean;
}

export type RateLimitRules = Record<string, RateLimitRule>;

export const DEFAULT_RATE_LIMITS: RateLimitRules = {
  'chat.postMessage': { burst: 3, intervalMs: 1_000, perChannel: true },
};

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rules: RateLimitRules,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes one call from the budget. Returns undefined when the call may proceed, or the seconds
   * to put in `Retry-After` (at least 1, as Slack sends whole seconds).
   */
  take(method: string, channel: string | undefined): number | undefined {
    const rule = this.rules[method];
    if (!rule) return undefined;
    const key = rule.perChannel ? `${method}:${channel ?? ''}` : method;
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: rule.burst, updatedAt: now };
    bucket.tokens = Math.min(rule.burst, bucket.tokens + (now - bucket.updatedAt) / rule.intervalMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * rule.intervalMs) / 1000));
  }
}
