import type { Clock } from '../../core/clock.ts';
import type { ReadinessCheck } from '../../core/readiness.ts';

/**
 * `check` with its outcome (success or failure) kept for `ttlMs` of the injected clock, and one
 * probe shared by concurrent callers: probes from load balancers and kubelets every second
 * must not each write to the store.
 */
export function cachedCheck(check: ReadinessCheck, clock: Clock, ttlMs: number): ReadinessCheck {
  let last: { at: number; outcome: Promise<void> } | undefined;
  return {
    name: check.name,
    check() {
      const now = clock.now();
      if (!last || now - last.at >= ttlMs) {
        const outcome = check.check();
        outcome.catch(() => undefined); // kept for later callers; each of them sees the rejection
        last = { at: now, outcome };
      }
      return last.outcome;
    },
  };
}
