import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IntakeSource, ParsedAlert } from '../../core/alerts/alert.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError, errorBody } from '../../core/errors.ts';
import type { TraceSpan } from '../../core/tracing.ts';
import type { IngestResult } from '../../handlers/alerts/ingest.ts';
import { IntakeParseError } from '../../handlers/alerts/intake/intake-error.ts';
import type { BotMetrics } from '../metrics.ts';
import type { Tracing } from '../tracing.ts';
import { checkBearer, checkGrafanaSignature } from './auth.ts';
import type { BotServer } from './server.ts';

export interface IntakeRouteDeps {
  /** Stores a payload's alerts durably (group-committed with concurrent payloads). */
  ingest: (alerts: readonly ParsedAlert[]) => Promise<IngestResult>;
  tracing: Tracing;
  parsers: Readonly<Record<IntakeSource, (body: unknown) => ParsedAlert[]>>;
  token: string;
  grafana: { hmacSecret?: string; signatureHeader: string; timestampHeader?: string };
  metrics: BotMetrics;
  clock: Clock;
  /** Called when a payload opened an incident, so its first card goes out at once. */
  onAccepted: () => void;
}

/** Grafana's signed timestamp must be this fresh, against replays. */
const SIGNATURE_MAX_AGE_MS = 5 * 60_000;

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Why the request is not authentic judged by its headers alone, or null: checked before the body is
 * read, so an unauthenticated sender cannot make the bot buffer up to MAX_BODY_BYTES.
 */
function headerRejectReason(source: IntakeSource, req: FastifyRequest, deps: IntakeRouteDeps): string | null {
  if (!checkBearer(req.headers.authorization, deps.token)) {
    return 'Missing or wrong bearer token: send "Authorization: Bearer <ALERT_WEBHOOK_TOKEN>".';
  }
  const { hmacSecret, signatureHeader, timestampHeader } = deps.grafana;
  if (source !== 'grafana' || !hmacSecret) return null;
  if (timestampHeader) {
    const ts = Number(header(req, timestampHeader)) * 1000;
    if (!Number.isFinite(ts) || Math.abs(deps.clock.now() - ts) > SIGNATURE_MAX_AGE_MS) {
      return `Missing or stale ${timestampHeader} header.`;
    }
  }
  if (!header(req, signatureHeader)) return `Missing or wrong ${signatureHeader} signature.`;
  return null;
}

/** Why the body does not match Grafana's signature, or null (the headers already passed). */
function bodyRejectReason(source: IntakeSource, req: FastifyRequest, deps: IntakeRouteDeps): string | null {
  const { hmacSecret, signatureHeader, timestampHeader } = deps.grafana;
  if (source !== 'grafana' || !hmacSecret) return null;
  const timestamp = timestampHeader ? header(req, timestampHeader) : undefined;
  if (
    !checkGrafanaSignature(
      req.rawBody ?? Buffer.alloc(0),
      header(req, signatureHeader),
      hmacSecret,
      timestamp,
    )
  ) {
    return `Missing or wrong ${signatureHeader} signature.`;
  }
  return null;
}

function unauthorized(reply: FastifyReply, reason: string): FastifyReply {
  return reply.code(401).header('WWW-Authenticate', 'Bearer').send(errorBody('UNAUTHORIZED', reason));
}

/**
 * `POST /api/alerts/{alertmanager,azure-monitor,grafana}`. Answers 202 only once the alerts are
 * durably stored; 400 names the malformed field (nothing stored); 503 asks the sender to retry
 * (never 429 or another 4xx, which senders treat as final).
 */
export function registerIntakeRoutes(app: BotServer, deps: IntakeRouteDeps): void {
  for (const source of Object.keys(deps.parsers) as IntakeSource[]) {
    const onRequest = async (req: FastifyRequest, reply: FastifyReply) => {
      const reason = headerRejectReason(source, req, deps);
      if (!reason) return;
      deps.metrics.intakeRequests.inc({ source, status: 401 });
      // Answered before the body is read; Node discards the rest of it without buffering.
      return unauthorized(reply, reason);
    };
    app.post(`/api/alerts/${source}`, { onRequest }, async (req: FastifyRequest, reply: FastifyReply) => {
      const started = performance.now();
      let status: number;
      try {
        status = await deps.tracing.span(
          'alerts.intake',
          { 'alert.source': source, 'http.request.id': String(req.id) },
          async (span) => {
            const code = await handle(source, req, reply, span);
            span.setAttribute('http.response.status_code', code);
            return code;
          },
        );
      } catch (err) {
        // Whatever went wrong, the sender keeps the alerts and retries: 503, never a final 4xx/500.
        status = 503;
        const code = err instanceof AppError ? err.code : 'INTAKE_FAILED';
        req.log.error(
          { err, code, source, requestId: req.id },
          'alert intake failed; asked the sender to retry',
        );
        reply
          .code(503)
          .header('Retry-After', '5')
          .send(errorBody(code, `Temporarily unable to store alerts (ref ${req.id}); retry.`));
      }
      deps.metrics.intakeRequests.inc({ source, status });
      deps.metrics.intakeDuration.observe({ source }, (performance.now() - started) / 1000);
      return reply;
    });
  }

  async function handle(
    source: IntakeSource,
    req: FastifyRequest,
    reply: FastifyReply,
    span: TraceSpan,
  ): Promise<number> {
    const reason = bodyRejectReason(source, req, deps);
    if (reason) {
      unauthorized(reply, reason);
      return 401;
    }
    let alerts: ParsedAlert[];
    try {
      alerts = deps.parsers[source](req.body);
    } catch (err) {
      if (!(err instanceof IntakeParseError)) throw err;
      reply.code(400).send(errorBody(err.code, err.message));
      return 400;
    }
    const result = await deps.tracing.span(
      'alerts.ingest',
      { 'alerts.received': alerts.length },
      () => deps.ingest(alerts),
      span.spanContext(),
    );
    span.setAttributes({ 'alerts.received': result.received, 'alerts.changed': result.changed });
    deps.tracing.noteIncidents([...result.openedIncidentIds, ...result.incidentIds], span);
    for (const [tier, n] of Object.entries(result.byTier)) {
      if (n > 0) deps.metrics.alertsReceived.inc({ source, tier }, n);
    }
    // Card updates wait out their coalescing window and the delivery loop's timer picks them up;
    // only a new incident's first card is worth waking the loop for.
    if (result.openedIncidentIds.length > 0) deps.onAccepted();
    req.log.debug({ source, ...result, requestId: req.id }, 'alerts accepted');
    reply.code(202).send({ status: 'accepted', received: result.received, changed: result.changed });
    return 202;
  }
}
