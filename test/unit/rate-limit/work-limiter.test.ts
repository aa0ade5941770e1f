import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../bot/policy.ts';
import { ManualClock } from '../../../core/clock.ts';
import { ConfigError } from '../../../core/config-error.ts';
import { defaultRateLimits, rateLimitPolicy } from '../../../handlers/rate-limit/rate-limit-policy.ts';
import { describeLimit, describeWait, WorkLimiter } from '../../../handlers/rate-limit/work-limiter.ts';

const policy = rateLimitPolicy.parse({
  kql: { perUser: { burst: 2, perMinute: 6 }, global: { burst: 3, perMinute: 60 } },
});

describe('WorkLimiter', () => {
  it('limits each user and everybody together, with the injected clock', () => {
    const clock = new ManualClock(0);
    const limiter = new WorkLimiter(policy, () => clock.now());
    expect(limiter.take('kql', 'slack:A')).toEqual({ allowed: true });
    expect(limiter.take('kql', 'slack:A')).toEqual({ allowed: true });
    expect(limiter.take('kql', 'slack:A')).toEqual({ allowed: false, retryAfterMs: 10_000, scope: 'user' });
    expect(limiter.take('kql', 'slack:B')).toEqual({ allowed: true });
    // The global bucket (3) is empty now: a fresh user is refused, and told it is not their doing.
    expect(limiter.take('kql', 'slack:C')).toEqual({ allowed: false, retryAfterMs: 1_000, scope: 'global' });
    clock.advance(1_000);
    expect(limiter.take('kql', 'slack:C')).toEqual({ allowed: true });
  });

  it('takes from both buckets or from neither', () => {
    const clock = new ManualClock(0);
    const limiter = new WorkLimiter(policy, () => clock.now());
    limiter.take('kql', 'slack:A');
    limiter.take('kql', 'slack:A');
    // A's refusals must not drain the shared bucket …
    for (let i = 0; i < 10; i++) expect(limiter.take('kql', 'slack:A').allowed).toBe(false);
    expect(limiter.take('kql', 'slack:B').allowed).toBe(true);
    // … and a global refusal must not charge C's own bucket.
    expect(limiter.take('kql', 'slack:C').allowed).toBe(false);
    clock.advance(2_000);
    expect(limiter.take('kql', 'slack:C').allowed).toBe(true);
    expect(limiter.take('kql', 'slack:C').allowed).toBe(true);
  });

  it('keeps the kinds of work apart', () => {
    const limiter = new WorkLimiter(policy, () => 0);
    limiter.take('kql', 'slack:A');
    limiter.take('kql', 'slack:A');
    expect(limiter.take('kql', 'slack:A').allowed).toBe(false);
    expect(limiter.take('gpu', 'slack:A').allowed).toBe(true);
    expect(limiter.take('ask', 'slack:A').allowed).toBe(true);
  });

  it('throws a user-facing sentence that says when to try again', () => {
    const limiter = new WorkLimiter(policy, () => 0);
    limiter.takeOrThrow('kql', 'slack:A');
    limiter.takeOrThrow('kql', 'slack:A');
    expect(() => limiter.takeOrThrow('kql', 'slack:A')).toThrow(
      'You have sent many /kql queries in a short time. Please try again in 10 seconds.',
    );
  });
});

describe('describeLimit', () => {
  it('names whose limit it is and rounds the wait up', () => {
    expect(describeLimit('gpu', { allowed: false, retryAfterMs: 1, scope: 'global' })).toBe(
      'The bot is answering many /gpu requests from everyone right now. Please try again in 1 second.',
    );
    expect(describeWait(90_001)).toBe('91 seconds');
    expect(describeWait(150_000)).toBe('3 minutes');
  });
});

describe('rateLimits in the policy file', () => {
  it('has defaults for every costly command', () => {
    const limits = defaultRateLimits();
    expect(Object.keys(limits).sort()).toEqual(['ask', 'gpu', 'kql', 'mcp', 'propose']);
    expect(parsePolicy('').rateLimits).toEqual(limits);
  });

  it('takes partial settings and names the bad field', () => {
    const parsed = parsePolicy('rateLimits:\n  gpu:\n    perUser: { burst: 1, perMinute: 2 }\n');
    expect(parsed.rateLimits.gpu.perUser).toEqual({ burst: 1, perMinute: 2 });
    expect(parsed.rateLimits.gpu.global).toEqual(defaultRateLimits().gpu.global);
    expect(() => parsePolicy('rateLimits:\n  kql:\n    global: { burst: 0, perMinute: 2 }\n')).toThrow(
      ConfigError,
    );
    try {
      parsePolicy('rateLimits:\n  kql:\n    global: { burst: 0, perMinute: 2 }\n');
    } catch (err) {
      expect(String((err as ConfigError).message)).toContain('rateLimits.kql.global.burst');
    }
  });
});
