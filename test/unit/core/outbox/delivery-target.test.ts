import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../../core/errors.ts';
import {
  attemptDelivery,
  type DeliveryTarget,
  parseRetryAfter,
  settleDelivery,
} from '../../../../core/outbox/delivery-target.ts';

const backoff = { baseMs: 1_000, maxMs: 60_000, random: () => 0.5 };
const o = { now: 1_000_000, maxAttempts: 5, backoff };

function throwing(err: unknown): DeliveryTarget<string> {
  return {
    id: 'test',
    deliver: async () => {
      throw err;
    },
  };
}

describe('delivery targets: one retry rule for every integration', () => {
  it('honours Retry-After whatever the attempt count, else backs off exponentially', () => {
    const throttled = { kind: 'retry-after', code: 'X_429', reason: 'slow down', afterMs: 120_000 } as const;
    expect(settleDelivery(throttled, 4, o)).toMatchObject({ kind: 'retry', at: o.now + 120_000 });
    const outage = { kind: 'retry-after', code: 'X_503', reason: 'down' } as const;
    expect(settleDelivery(outage, 1, o)).toMatchObject({ kind: 'retry', at: o.now + 1_000 });
    expect(settleDelivery(outage, 3, o)).toMatchObject({ kind: 'retry', at: o.now + 4_000 });
  });

  it('gives up on a permanent failure at once and on a retryable one when attempts run out', () => {
    expect(settleDelivery({ kind: 'failed-permanently', code: 'X_400', reason: 'bad' }, 1, o)).toEqual({
      kind: 'give-up',
      code: 'X_400',
      reason: 'bad',
      exhausted: false,
    });
    expect(settleDelivery({ kind: 'retry-after', code: 'X_503', reason: 'down' }, 5, o)).toMatchObject({
      kind: 'give-up',
      exhausted: true,
    });
    expect(settleDelivery({ kind: 'delivered', warning: 'w' }, 5, o)).toEqual({ kind: 'done', warning: 'w' });
  });

  it('turns what a target throws into an outcome', async () => {
    expect(await attemptDelivery(throwing(new DeliveryError('A', 'later', true, 5_000)), 'x')).toEqual({
      kind: 'retry-after',
      code: 'A',
      reason: 'later',
      afterMs: 5_000,
    });
    expect(await attemptDelivery(throwing(new DeliveryError('B', 'never', false)), 'x')).toMatchObject({
      kind: 'failed-permanently',
      code: 'B',
    });
    expect(await attemptDelivery(throwing(new TypeError('oops')), 'x')).toMatchObject({
      kind: 'failed-permanently',
      code: 'DELIVERY_BUG',
    });
  });

  it('reads Retry-After as seconds or an HTTP date against the injected now', () => {
    const now = Date.parse('2026-11-30T08:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
