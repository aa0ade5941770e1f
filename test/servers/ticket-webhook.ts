import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the local ticket receiver got it, with the status it answered. */
export interface ReceivedTicket {
  status: number;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  raw: string;
  body: Record<string, unknown>;
}

export interface TicketWebhookServer {
  url: string;
  received: ReceivedTicket[];
  /** Answers the next request with this status (and Retry-After, if given) instead of 201. */
  failNext(status: number, retryAfter?: string, body?: string): void;
  close(): Promise<void>;
}

/**
 * A ticket tracker's webhook on a loopback port: 201 for a JSON POST, and creates one ticket per
 * Idempotency-Key (a repeat answers 200 with the same ticket), as trackers that honour the key do.
 */
export async function startTicketWebhookServer(): Promise<TicketWebhookServer> {
  const received: ReceivedTicket[] = [];
  const failures: { status: number; retryAfter?: string; body?: string }[] = [];
  const tickets = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        received.push({ status: 400, headers: req.headers, raw, body });
        res.writeHead(400).end('not JSON');
        return;
      }
      const forced = failures.shift();
      if (forced) {
        received.push({ status: forced.status, headers: req.headers, raw, body });
        res.writeHead(forced.status, forced.retryAfter ? { 'retry-after': forced.retryAfter } : {});
        res.end(forced.body ?? 'unavailable');
        return;
      }
      const key = String(req.headers['idempotency-key'] ?? '');
      const known = tickets.get(key);
      const status = known === undefined ? 201 : 200;
      const id = known ?? tickets.size + 1;
      tickets.set(key, id);
      received.push({ status, headers: req.headers, raw, body });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ticket: id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tickets`,
    received,
    failNext(status, retryAfter, body) {
      failures.push({ status, retryAfter, body });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
