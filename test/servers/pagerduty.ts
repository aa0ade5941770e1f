import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An event as the local PagerDuty server received it, with the status it answered. */
export interface ReceivedEvent {
  status: number;
  body: Record<string, unknown>;
}

export interface PagerDutyServer {
  url: string;
  /** Every request, in arrival order, including rejected ones. */
  received: ReceivedEvent[];
  /** Accepted (202) events only. */
  accepted(): Record<string, unknown>[];
  /** Answers the next `n` requests with this status (429 or 5xx) before going back to normal. */
  failNext(status: number, n?: number, retryAfter?: string): void;
  close(): Promise<void>;
}

const ACTIONS = new Set(['trigger', 'acknowledge', 'resolve']);
const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

/** Validates an event by the Events API v2 field rules; returns the problems. */
function validate(e: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (typeof e.routing_key !== 'string' || e.routing_key.length !== 32) errors.push('routing_key is invalid');
  if (!ACTIONS.has(String(e.event_action))) errors.push('event_action is invalid');
  if (e.dedup_key !== undefined && (typeof e.dedup_key !== 'string' || e.dedup_key.length > 255))
    errors.push('dedup_key is invalid');
  if (e.event_action !== 'trigger' && typeof e.dedup_key !== 'string') errors.push('dedup_key is required');
  if (e.event_action === 'trigger') {
    const p = e.payload as Record<string, unknown> | undefined;
    if (!p || typeof p !== 'object') errors.push("'payload' is missing or blank");
    else {
      if (typeof p.summary !== 'string' || p.summary.length === 0 || p.summary.length > 1024)
        errors.push("'payload.summary' is invalid");
      if (typeof p.source !== 'string' || p.source.length === 0)
        errors.push("'payload.source' is missing or blank");
      if (!SEVERITIES.has(String(p.severity))) errors.push("'payload.severity' is invalid");
    }
  }
  return errors;
}

/**
 * A local stand-in for `POST /v2/enqueue` of the PagerDuty Events API v2 on a loopback port:
 * 202 with the dedup key for a valid event, 400 "invalid event" with errors for an invalid one,
 * and 429/5xx on demand. It records what it received.
 */
export async function startPagerDutyServer(
  options: {
    rejectRoutingKey?: string /** Answers this much later, as a slow network would. */;
    delayMs?: number;
  } = {},
): Promise<PagerDutyServer> {
  const received: ReceivedEvent[] = [];
  const failures: { status: number; retryAfter?: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json', ...extra });
          res.end(JSON.stringify(body));
        }, options.delayMs ?? 0);
      };
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        received.push({ status: 400, body: {} });
        return send(400, {
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: ['Malformed JSON'],
        });
      }
      if (req.method !== 'POST' || req.url !== '/v2/enqueue') return send(404, { status: 'not found' });
      const forced = failures.shift();
      if (forced !== undefined) {
        received.push({ status: forced.status, body });
        const headers: Record<string, string> = forced.retryAfter ? { 'retry-after': forced.retryAfter } : {};
        return forced.status === 429
          ? send(
              429,
              { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' },
              headers,
            )
          : send(forced.status, { status: 'error', message: 'Internal error' }, headers);
      }
      const errors = validate(body);
      if (options.rejectRoutingKey && body.routing_key === options.rejectRoutingKey)
        errors.push('routing_key is not accepted');
      if (errors.length > 0) {
        received.push({ status: 400, body });
        return send(400, { status: 'invalid event', message: 'Event object is invalid', errors });
      }
      received.push({ status: 202, body });
      send(202, {
        status: 'success',
        message: 'Event processed',
        dedup_key: body.dedup_key ?? 'generated-key',
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2/enqueue`,
    received,
    accepted: () => received.filter((r) => r.status === 202).map((r) => r.body),
    failNext(status, n = 1, retryAfter) {
      for (let i = 0; i < n; i++) failures.push({ status, retryAfter });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
