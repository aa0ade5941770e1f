import { setTimeout as sleep } from 'node:timers/promises';
import { StoreUnavailableError } from '../../core/errors.ts';
import { errorCode, isUnavailable } from './db.ts';

/** Attempts before a transaction that keeps conflicting gives up (and the caller answers 503). */
export const MAX_TRANSACTION_ATTEMPTS = 8;

/**
 * Conflicts that a re-run resolves: serialization failures and deadlocks (one of two concurrent
 * transactions is chosen to fail), and a lost race to open the one open incident of a group — on
 * the re-run the loser finds the winner's incident and joins it (likewise the one active storm).
 */
export function isRetryable(err: unknown): boolean {
  const code = errorCode(err);
  if (code === '40001' || code === '40P01') return true;
  const constraint = (err as { constraint?: string }).constraint;
  return code === '23505' && (constraint === 'incidents_open_group' || constraint === 'storms_one_active');
}

/**
 * Runs `attempt` until it succeeds, fails for good, or has conflicted too often. Between attempts
 * it waits a few random milliseconds so that the same two transactions do not collide again.
 */
export async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (isUnavailable(err) || !isRetryable(err)) throw err;
      if (n >= MAX_TRANSACTION_ATTEMPTS) {
        throw new StoreUnavailableError(`transaction still conflicting after ${n} attempts`, { cause: err });
      }
      await sleep(Math.random() * 5 * n);
    }
  }
}
