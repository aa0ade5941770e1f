import { createHmac } from 'node:crypto';
import { ExecutorError } from '../errors.ts';

/** Where tickets go; the secret comes from the environment, never the policy file. */
export interface TicketWebhook {
  url: string;
  /** `bearer`: Authorization: Bearer <secret>. `hmac`: X-Signature-256: sha256=<hex HMAC of the body>. */
  auth?: { kind: 'bearer' | 'hmac'; secret: string };
}

const TIMEOUT_MS = 10_000;

/** The headers of one ticket POST: JSON, the idempotency key, and the configured secret. */
export function ticketWebhookHeaders(
  hook: TicketWebhook,
  idempotencyKey: string,
  body: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': idempotencyKey,
  };
  if (hook.auth?.kind === 'bearer') headers.authorization = `Bearer ${hook.auth.secret}`;
  if (hook.auth?.kind === 'hmac')
    headers['x-signature-256'] =
      `sha256=${createHmac('sha256', hook.auth.secret).update(body).digest('hex')}`;
  return headers;
}

/** Files tickets from remediation (a GPU replacement request); the same webhook the paging tickets use. */
export interface TicketFiler {
  /** POSTs the JSON once per key (the receiver dedupes retries); resolves with the receiver's answer. */
  file(body: Record<string, unknown>, idempotencyKey: string): Promise<{ status: number; answer: string }>;
}

/** The ticket webhook as a {@link TicketFiler}: any non-2xx answer or no answer is an {@link ExecutorError}. */
export function ticketFiler(hook: TicketWebhook): TicketFiler {
  return {
    async file(body, idempotencyKey) {
      const text = JSON.stringify(body);
      let res: Response;
      try {
        res = await fetch(hook.url, {
          method: 'POST',
          headers: ticketWebhookHeaders(hook, idempotencyKey, text),
          body: text,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        const why = (err as Error).name === 'TimeoutError' ? 'timed out' : 'did not answer';
        throw new ExecutorError('TICKET_UNREACHABLE', `ticket webhook ${why}`, undefined, { cause: err });
      }
      const answer = (await res.text().catch(() => '')).slice(0, 200);
      if (!res.ok)
        throw new ExecutorError(
          `TICKET_HTTP_${res.status}`,
          `ticket webhook answered ${res.status}${answer ? `: ${answer}` : ''}`,
          res.status,
        );
      return { status: res.status, answer };
    },
  };
}
