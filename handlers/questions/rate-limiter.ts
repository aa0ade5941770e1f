import { AppError } from '../../bot/errors.ts';

/** The outcome of asking the limiter for one question. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Token-bucket settings: `burst` questions at once, refilled at `perMinute`. */
export interface RateLimitOptions {
  burst: number;
  perMinute: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  now: () => number;
  /** Buckets kept at most; full (idle) buckets are dropped first. */
  maxUsers?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** A per-user token bucket for questions: a burst is fine, a flood is not. */
export class QuestionRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.burst >= 1) || !(options.perMinute > 0))
      throw new AppError('RATE_LIMIT_CONFIG', 'burst must be ≥ 1 and perMinute > 0');
    this.refillPerMs = options.perMinute / 60_000;
  }

  /** Takes one token for `user` if there is one. */
  take(user: string): RateDecision {
    const now = this.options.now();
    const bucket = this.current(user, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.refillPerMs) };
  }

  private current(user: string, now: number): Bucket {
    let bucket = this.buckets.get(user);
    if (!bucket) {
      this.evictIdle(now);
      bucket = { tokens: this.options.burst, at: now };
      this.buckets.set(user, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsed * this.refillPerMs);
    bucket.at = now;
    return bucket;
  }

  /** A refilled bucket is the same as no bucket, so dropping it forgets nothing. */
  private evictIdle(now: number): void {
    if (this.buckets.size < (this.options.maxUsers ?? 10_000)) return;
    for (const [user, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.refillPerMs >= this.options.burst) this.buckets.delete(user);
    }
    if (this.buckets.size >= (this.options.maxUsers ?? 10_000)) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
