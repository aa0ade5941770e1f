import { AppError } from '../../core/errors.ts';

/** The outcome of asking a bucket for one token. */
export type BucketDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Token-bucket settings: `burst` requests at once, refilled at `perMinute`. */
export interface TokenBucketOptions {
  burst: number;
  perMinute: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  now: () => number;
  /** Buckets kept at most; full (idle) buckets are dropped first. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** One token bucket per key (a user, or one shared key): a burst is fine, a flood is not. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.burst >= 1) || !(options.perMinute > 0))
      throw new AppError('RATE_LIMIT_CONFIG', 'burst must be ≥ 1 and perMinute > 0');
    this.refillPerMs = options.perMinute / 60_000;
  }

  /** Whether `key` has a token now, without taking it. */
  check(key: string): BucketDecision {
    const bucket = this.current(key, this.options.now());
    if (bucket.tokens >= 1) return { allowed: true };
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.refillPerMs) };
  }

  /** Takes one token for `key` if there is one. */
  take(key: string): BucketDecision {
    const decision = this.check(key);
    if (decision.allowed) this.buckets.get(key)!.tokens -= 1;
    return decision;
  }

  private current(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      this.evictIdle(now);
      bucket = { tokens: this.options.burst, at: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsed * this.refillPerMs);
    bucket.at = now;
    return bucket;
  }

  /** A refilled bucket is the same as no bucket, so dropping it forgets nothing. */
  private evictIdle(now: number): void {
    const max = this.options.maxKeys ?? 10_000;
    if (this.buckets.size < max) return;
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.refillPerMs >= this.options.burst) this.buckets.delete(key);
    }
    if (this.buckets.size >= max) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
