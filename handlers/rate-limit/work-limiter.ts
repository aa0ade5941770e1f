import { UserFacingError } from '../../core/errors.ts';
import type { LimitedWork, RateLimitPolicy } from './rate-limit-policy.ts';
import { TokenBuckets } from './token-buckets.ts';

/** The outcome of asking for one unit of work; a refusal says whose limit was hit. */
export type LimitDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number; scope: 'user' | 'global' };

/** The shared key of the global bucket; user ids are platform-qualified, so it cannot collide. */
const EVERYONE = '*';

const WHAT: Record<LimitedWork, string> = {
  kql: '/kql queries',
  gpu: '/gpu requests',
  ask: 'questions',
  mcp: 'MCP tool calls',
  propose: 'remediation proposals',
};

/**
 * Per-user and global token buckets for each kind of costly work. A request takes a token from
 * both or from neither: a refused user does not drain the shared bucket, and a full bot does not
 * charge the user.
 */
export class WorkLimiter {
  private readonly buckets: Record<LimitedWork, { user: TokenBuckets; global: TokenBuckets }>;

  constructor(policy: RateLimitPolicy, now: () => number) {
    const pair = (work: LimitedWork) => ({
      user: new TokenBuckets({ ...policy[work].perUser, now }),
      global: new TokenBuckets({ ...policy[work].global, now }),
    });
    this.buckets = {
      kql: pair('kql'),
      gpu: pair('gpu'),
      ask: pair('ask'),
      mcp: pair('mcp'),
      propose: pair('propose'),
    };
  }

  /** Takes one token for `user` from `work`'s buckets if both have one. */
  take(work: LimitedWork, user: string): LimitDecision {
    const { user: mine, global } = this.buckets[work];
    const own = mine.check(user);
    if (!own.allowed) return { ...own, scope: 'user' };
    const all = global.take(EVERYONE);
    if (!all.allowed) return { ...all, scope: 'global' };
    mine.take(user);
    return { allowed: true };
  }

  /** Like {@link take}, but a refusal throws a user-facing error that says when to try again. */
  takeOrThrow(work: LimitedWork, user: string): void {
    const decision = this.take(work, user);
    if (!decision.allowed) throw new UserFacingError('RATE_LIMITED', describeLimit(work, decision));
  }
}

/** A plain sentence for a refusal: whose limit, and when to try again. */
export function describeLimit(
  work: LimitedWork,
  decision: Extract<LimitDecision, { allowed: false }>,
): string {
  const wait = describeWait(decision.retryAfterMs);
  return decision.scope === 'user'
    ? `You have sent many ${WHAT[work]} in a short time. Please try again in ${wait}.`
    : `The bot is answering many ${WHAT[work]} from everyone right now. Please try again in ${wait}.`;
}

/** "1 second", "45 seconds", "3 minutes": always rounded up, so the retry is not refused again. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
