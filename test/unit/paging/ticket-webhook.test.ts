import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../../core/alerts/incident.ts';
import { ManualClock } from '../../../core/clock.ts';
import { attemptDelivery, settleDelivery } from '../../../core/outbox/delivery-target.ts';
import type { StoredAlert } from '../../../core/store.ts';
import { buildTicket } from '../../../handlers/paging/ticket.ts';
import { ticketWebhookTarget } from '../../../handlers/paging/ticket-webhook.ts';
import { parsed } from '../../helpers/alerts.ts';
import { startTicketWebhookServer, type TicketWebhookServer } from '../../servers/ticket-webhook.ts';

const SECRET = 'ticket-secret-0123456789abcdef';
const NOW = Date.parse('2026-11-30T08:00:00Z');

const incident: Incident = {
  id: 7,
  groupKey: 'g',
  source: 'alertmanager',
  title: '<b>Quota</b> [click](http://evil.example) approaching',
  kind: 'quota-approaching',
  tier: 'P3',
  status: 'open',
  flapping: false,
  flapCount: 0,
  resource: { cluster: 'aks-ml', namespace: 'ml-serve', model: 'gpt-4o' },
  acknowledgedBy: null,
  acknowledgedAt: null,
  silenceId: null,
  silencedBy: null,
  silencedUntil: null,
  openedAt: NOW - 3_600_000,
  startedAt: NOW - 3_900_000,
  updatedAt: NOW,
  resolvedAt: null,
  version: 1,
};

const alerts = [
  {
    alert: { ...parsed(), links: [{ kind: 'runbook', url: 'https://runbooks.example/quota' }] },
    incidentId: 7,
    firstSeenAt: NOW,
    lastSeenAt: NOW,
    resolvedAt: null,
    refireCount: 0,
  },
] as unknown as StoredAlert[];

describe('ticket webhook target against a real HTTP receiver', () => {
  let server: TicketWebhookServer;
  const clock = new ManualClock(NOW);
  beforeEach(async () => {
    server = await startTicketWebhookServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('posts the incident as a JSON ticket with an idempotency key and a bearer secret', async () => {
    const target = ticketWebhookTarget({ url: server.url, auth: { kind: 'bearer', secret: SECRET } }, clock);
    const t = buildTicket('opened', incident, alerts);
    expect(await attemptDelivery(target, t)).toEqual({ kind: 'delivered' });
    expect(await attemptDelivery(target, t)).toEqual({ kind: 'delivered' });
    const [first, again] = server.received;
    expect(first?.status).toBe(201);
    expect(again?.status).toBe(200); // same key: the receiver kept one ticket
    expect(first?.headers['idempotency-key']).toBe('INC-7:opened');
    expect(first?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(first?.body).toEqual({
      incidentId: 'INC-7',
      event: 'opened',
      priority: 'P3',
      title: '<b>Quota</b> [click](http://evil.example) approaching',
      status: 'open',
      openedAt: '2026-11-30T07:00:00.000Z',
      startedAt: '2026-11-30T06:55:00.000Z',
      fields: { cluster: 'aks-ml', namespace: 'ml-serve', model: 'gpt-4o' },
      links: [{ kind: 'runbook', url: 'https://runbooks.example/quota' }],
    });
  });

  it('signs the exact body with HMAC-SHA256 when so configured', async () => {
    const target = ticketWebhookTarget({ url: server.url, auth: { kind: 'hmac', secret: SECRET } }, clock);
    await attemptDelivery(target, buildTicket('resolved', { ...incident, status: 'resolved' }, []));
    const got = server.received[0]!;
    const expected = createHmac('sha256', SECRET).update(got.raw).digest('hex');
    expect(got.headers['x-signature-256']).toBe(`sha256=${expected}`);
    expect(got.headers.authorization).toBeUndefined();
    expect(got.headers['idempotency-key']).toBe('INC-7:resolved');
  });

  it('retries a 429 after its Retry-After and a 5xx with backoff, then delivers', async () => {
    const target = ticketWebhookTarget({ url: server.url }, clock);
    const t = buildTicket('opened', incident, alerts);
    const backoff = { baseMs: 1_000, maxMs: 60_000, random: () => 0.5 };
    server.failNext(429, '90');
    const throttled = await attemptDelivery(target, t);
    expect(throttled).toMatchObject({ kind: 'retry-after', code: 'TICKET_HTTP_429', afterMs: 90_000 });
    expect(settleDelivery(throttled, 1, { now: NOW, maxAttempts: 10, backoff })).toMatchObject({
      kind: 'retry',
      at: NOW + 90_000,
    });
    server.failNext(503);
    expect(await attemptDelivery(target, t)).toMatchObject({ kind: 'retry-after', code: 'TICKET_HTTP_503' });
    expect(await attemptDelivery(target, t)).toEqual({ kind: 'delivered' });
  });

  it('gives up on a 4xx with the receiver’s reason, and never leaks the secret in it', async () => {
    const target = ticketWebhookTarget({ url: server.url, auth: { kind: 'bearer', secret: SECRET } }, clock);
    server.failNext(422, undefined, 'field priority: unknown value');
    const outcome = await attemptDelivery(target, buildTicket('opened', incident, []));
    expect(outcome).toEqual({
      kind: 'failed-permanently',
      code: 'TICKET_HTTP_422',
      reason: 'ticket webhook answered 422: field priority: unknown value',
    });
    expect(JSON.stringify(outcome)).not.toContain(SECRET);
  });

  it('retries when the receiver is not there', async () => {
    const url = server.url;
    await server.close();
    server = await startTicketWebhookServer(); // closed again in afterEach
    const outcome = await attemptDelivery(
      ticketWebhookTarget({ url }, clock),
      buildTicket('opened', incident, []),
    );
    expect(outcome).toMatchObject({ kind: 'retry-after', code: 'TICKET_UNREACHABLE' });
  });
});
