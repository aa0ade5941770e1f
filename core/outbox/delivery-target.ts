import { type BackoffOptions, nextDelayMs } from '../backoff.ts';
import { DeliveryError } from '../errors.ts';

/** What one delivery attempt came to, as a target reports it. */
export type DeliveryOutcome =
  | { kind: 'delivered' /** Something the operator should know though it went out. */; warning?: string }
  | {
      kind: 'retry-after';
      code: string;
      reason: string /** The far side said when (Retry-After). */;
      afterMs?: number;
    }
  | { kind: 'failed-permanently'; code: string; reason: string };

/**
 * An integration the bot delivers to outside chat (PagerDuty, an SMTP relay, a ticket webhook).
 * A target only tries once and says how it went; when to try again is decided in one place,
 * {@link settleDelivery}, the same for every target.
 */
export interface DeliveryTarget<E> {
  /** Names the target in logs: `pagerduty`, `email`, `ticket-webhook`. */
  readonly id: string;
  deliver(entry: E): Promise<DeliveryOutcome>;
}

/** A thrown failure as an outcome: a {@link DeliveryError} says whether to retry; anything else is a bug, not retried. */
export function outcomeOfError(err: unknown): DeliveryOutcome {
  if (err instanceof DeliveryError)
    return err.retryable
      ? { kind: 'retry-after', code: err.code, reason: err.message, afterMs: err.retryAfterMs }
      : { kind: 'failed-permanently', code: err.code, reason: err.message };
  return { kind: 'failed-permanently', code: 'DELIVERY_BUG', reason: (err as Error)?.message ?? String(err) };
}

/** Runs one attempt; a target that throws instead of answering is turned into an outcome. */
export async function attemptDelivery<E>(target: DeliveryTarget<E>, entry: E): Promise<DeliveryOutcome> {
  try {
    return await target.deliver(entry);
  } catch (err) {
    return outcomeOfError(err);
  }
}

/** What the outbox records after an attempt. */
export type DeliverySettlement =
  | { kind: 'done'; warning?: string }
  | { kind: 'retry'; at: number; code: string; reason: string }
  | {
      kind: 'give-up';
      code: string;
      reason: string /** True when the attempts ran out rather than a refusal. */;
      exhausted: boolean;
    };

/**
 * The one retry rule for every target: a retry is due after the far side's Retry-After if it
 * gave one, else after exponential backoff; `attempts` (including this one) at `maxAttempts` gives up.
 */
export function settleDelivery(
  outcome: DeliveryOutcome,
  attempts: number,
  o: { now: number; maxAttempts: number; backoff: BackoffOptions },
): DeliverySettlement {
  if (outcome.kind === 'delivered') return { kind: 'done', warning: outcome.warning };
  if (outcome.kind === 'failed-permanently')
    return { kind: 'give-up', code: outcome.code, reason: outcome.reason, exhausted: false };
  if (attempts >= o.maxAttempts)
    return { kind: 'give-up', code: outcome.code, reason: outcome.reason, exhausted: true };
  const at = o.now + nextDelayMs(attempts, outcome.afterMs, o.backoff);
  return { kind: 'retry', at, code: outcome.code, reason: outcome.reason };
}

/** An HTTP Retry-After header (seconds or an HTTP date) in ms from `now`; undefined if absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
