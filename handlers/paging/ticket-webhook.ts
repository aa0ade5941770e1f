import type { Clock } from '../../core/clock.ts';
import { type DeliveryTarget, parseRetryAfter } from '../../core/outbox/delivery-target.ts';
import { type TicketWebhook, ticketWebhookHeaders } from '../../remediation/executors/ticket-webhook.ts';
import { type Ticket, ticketIdempotencyKey } from './ticket.ts';

const TIMEOUT_MS = 10_000;

export type { TicketWebhook };

function headersFor(hook: TicketWebhook, t: Ticket, body: string): Record<string, string> {
  return ticketWebhookHeaders(hook, ticketIdempotencyKey(t), body);
}

/**
 * A generic ticket webhook as a delivery target: POSTs the ticket as JSON. 2xx is delivered;
 * 429, 408, 5xx and network failures are retried (after Retry-After when given); any other 4xx
 * is given up with the receiver's status and the start of its answer as the reason.
 */
export function ticketWebhookTarget(hook: TicketWebhook, clock: Clock): DeliveryTarget<Ticket> {
  return {
    id: 'ticket-webhook',
    async deliver(t) {
      const body = JSON.stringify(t);
      let res: Response;
      try {
        res = await fetch(hook.url, {
          method: 'POST',
          headers: headersFor(hook, t, body),
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        const why = (err as Error).name === 'TimeoutError' ? 'timed out' : 'did not answer';
        return { kind: 'retry-after', code: 'TICKET_UNREACHABLE', reason: `ticket webhook ${why}` };
      }
      const text = (await res.text().catch(() => '')).slice(0, 200);
      if (res.ok) return { kind: 'delivered' };
      const reason = `ticket webhook answered ${res.status}${text ? `: ${text}` : ''}`;
      if (res.status === 429 || res.status === 408 || res.status >= 500)
        return {
          kind: 'retry-after',
          code: `TICKET_HTTP_${res.status}`,
          reason,
          afterMs: parseRetryAfter(res.headers.get('retry-after'), clock.now()),
        };
      return { kind: 'failed-permanently', code: `TICKET_HTTP_${res.status}`, reason };
    },
  };
}
