import type { Clock } from '../../../core/clock.ts';
import { DeliveryDeferred } from '../../../core/errors.ts';

/**
 * Keeps `chat.postMessage` at about one message per second per channel (Slack's documented
 * budget) and remembers a 429's Retry-After per method and channel. A send that comes too early
 * is turned away with a {@link DeliveryDeferred}, so the outbox waits instead of this
 * process sleeping — and nothing is dropped.
 */
export class SlackPacer {
  private readonly nextAllowed = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = 1000,
  ) {}

  /** Throws when `method` on `channel` must wait; otherwise books the slot. */
  take(method: string, channel: string, paced: boolean): void {
    const key = `${method}:${channel}`;
    const now = this.clock.now();
    const wait = (this.nextAllowed.get(key) ?? 0) - now;
    if (wait > 0) {
      throw new DeliveryDeferred(
        'SLACK_PACED',
        `${method} to ${channel} paced; next slot in ${wait}ms`,
        wait,
      );
    }
    if (paced) this.nextAllowed.set(key, now + this.intervalMs);
  }

  /** Slack said 429: nothing goes to this method and channel before Retry-After has passed. */
  backOff(method: string, channel: string, retryAfterMs: number): void {
    const key = `${method}:${channel}`;
    const until = this.clock.now() + retryAfterMs;
    this.nextAllowed.set(key, Math.max(this.nextAllowed.get(key) ?? 0, until));
  }
}
