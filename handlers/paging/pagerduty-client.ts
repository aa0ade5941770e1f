import { DeliveryError } from '../../core/errors.ts';
import { parseRetryAfter } from '../../core/outbox/delivery-target.ts';
import type { PagerDutyEventBody } from './pagerduty-event.ts';

export const DEFAULT_PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** PagerDuty suggests waiting 30 s before retrying a rate-limited event. */
export const PAGERDUTY_RETRY_AFTER_MS = 30_000;

const TIMEOUT_MS = 10_000;

export interface PagerDutyTarget {
  eventsUrl: string;
  routingKey: string;
}

function describeBody(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(body.errors) ? `: ${body.errors.map(String).join('; ')}` : '';
    return `${String(body.message ?? 'no message')}${errors}`.slice(0, 500);
  } catch {
    return text.slice(0, 200);
  }
}

/**
 * Sends one event to the Events API v2. Resolves on 202; otherwise throws a {@link DeliveryError}
 * that says whether to retry: 429 (after its Retry-After, else 30 s), 5xx, 408 and network errors
 * are retried, a 400 (invalid event) or any other 4xx never is. `now` reads an HTTP-date Retry-After.
 */
export async function sendPagerDutyEvent(
  target: PagerDutyTarget,
  event: PagerDutyEventBody,
  now: number = Date.now(),
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(target.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routing_key: target.routingKey, ...event }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new DeliveryError('PAGERDUTY_UNREACHABLE', 'PagerDuty did not answer', true, undefined, {
      cause: err,
    });
  }
  const text = await res.text().catch(() => '');
  if (res.status === 202) return;
  const detail = `PagerDuty answered ${res.status}: ${describeBody(text)}`;
  if (res.status === 429)
    throw new DeliveryError(
      'PAGERDUTY_RATE_LIMITED',
      detail,
      true,
      parseRetryAfter(res.headers.get('retry-after'), now) ?? PAGERDUTY_RETRY_AFTER_MS,
    );
  if (res.status >= 500 || res.status === 408) throw new DeliveryError('PAGERDUTY_UNAVAILABLE', detail, true);
  throw new DeliveryError(
    res.status === 400 ? 'PAGERDUTY_INVALID_EVENT' : 'PAGERDUTY_REJECTED',
    detail,
    false,
  );
}
