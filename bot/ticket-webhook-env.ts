import { z } from 'zod';
import type { TicketWebhook } from '../remediation/executors/ticket-webhook.ts';
import { optionalSecret } from './env-values.ts';

/** The environment variables of the ticket webhook (part of `envSchema`). */
export const ticketWebhookEnv = {
  /** Where GPU replacement requests are POSTed as JSON (file-gpu-replacement). */
  TICKET_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Sent as a bearer token, or the HMAC-SHA256 key of the body (TICKET_WEBHOOK_AUTH=hmac). */
  TICKET_WEBHOOK_SECRET: optionalSecret(16),
  TICKET_WEBHOOK_AUTH: z.enum(['bearer', 'hmac']).default('bearer'),
};

type TicketWebhookVars = z.output<z.ZodObject<typeof ticketWebhookEnv>>;

/** The ticket webhook from its variables; a secret without a URL is a mistake worth a line. */
export function ticketWebhookSettings(e: TicketWebhookVars, problems: string[]): TicketWebhook | undefined {
  if (e.TICKET_WEBHOOK_SECRET && !e.TICKET_WEBHOOK_URL)
    problems.push(
      'TICKET_WEBHOOK_SECRET: set TICKET_WEBHOOK_URL too (where tickets go), or remove the secret',
    );
  if (!e.TICKET_WEBHOOK_URL) return undefined;
  return {
    url: e.TICKET_WEBHOOK_URL,
    ...(e.TICKET_WEBHOOK_SECRET
      ? { auth: { kind: e.TICKET_WEBHOOK_AUTH, secret: e.TICKET_WEBHOOK_SECRET } }
      : {}),
  };
}
