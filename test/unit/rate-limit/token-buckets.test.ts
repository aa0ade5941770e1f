import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../../handlers/rate-limit/token-buckets.ts';

describe('TokenBuckets', () => {
  it('allows a burst, refuses the flood, and refills with the injected clock', () => {
    let now = 0;
    const limiter = new TokenBuckets({ burst: 3, perMinute: 6, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('slack:U1').allowed)).toEqual([true, true, true]);
    expect(limiter.take('slack:U1')).toEqual({ allowed: false, retryAfterMs: 10_000 });
    expect(limiter.take('slack:U2').allowed).toBe(true);
    now = 9_999;
    expect(limiter.take('slack:U1').allowed).toBe(false);
    now = 10_000 + 9_999;
    expect(limiter.take('slack:U1').allowed).toBe(true);
    expect(limiter.take('slack:U1').allowed).toBe(false);
  });

  it('forgets idle users beyond the cap without losing a limited one', () => {
    let now = 0;
    const limiter = new TokenBuckets({ burst: 1, perMinute: 1, now: () => now, maxKeys: 2 });
    expect(limiter.take('a').allowed).toBe(true);
    now = 120_000;
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(true);
    expect(limiter.take('b').allowed).toBe(false);
  });
});

describe('TokenBuckets.check', () => {
  it('looks without taking', () => {
    const buckets = new TokenBuckets({ burst: 1, perMinute: 1, now: () => 0 });
    expect(buckets.check('a').allowed).toBe(true);
    expect(buckets.check('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.check('a')).toEqual({ allowed: false, retryAfterMs: 60_000 });
  });
});
