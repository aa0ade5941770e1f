import type { FastifyInstance } from 'fastify';
import { type ChartRequest, verifyChartToken } from '../../cards/charts/chart-token.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError, errorBody, UserFacingError } from '../../core/errors.ts';

export interface ChartRouteDeps {
  /** HMAC key of chart URLs; every replica must use the same one. */
  secret: string;
  clock: Clock;
  /** Re-renders the chart a verified token asks for. */
  render(request: ChartRequest): Promise<Buffer>;
  /** Upper bound of the `max-age` sent with a PNG; the token's expiry lowers it. */
  maxAgeSeconds?: number;
}

/** Errors a renderer may raise that mean "try again later" rather than "broken". */
function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true;
}

/**
 * `GET /charts/<token>.png`: verifies the signed, expiring token and renders the chart it
 * describes. 403 for a token this bot did not sign, 410 once expired, 404 for an unknown node,
 * 503 when the metrics backend is unavailable.
 */
export function registerChartRoutes(app: FastifyInstance, deps: ChartRouteDeps): void {
  const maxAge = deps.maxAgeSeconds ?? 300;
  // A wildcard, not a `:param`: tokens are longer than the router's parameter length limit.
  app.get<{ Params: { '*': string } }>('/charts/*', async (req, reply) => {
    const file = req.params['*'];
    if (!file.endsWith('.png')) {
      return reply.code(404).send(errorBody('NOT_FOUND', 'Charts are served as /charts/<token>.png.'));
    }
    const now = deps.clock.now();
    const check = verifyChartToken(file.slice(0, -'.png'.length), deps.secret, now);
    if (!check.ok) {
      const status = check.reason === 'expired' ? 410 : 403;
      const code = check.reason === 'expired' ? 'CHART_LINK_EXPIRED' : 'CHART_LINK_INVALID';
      return reply.code(status).header('cache-control', 'no-store').send(errorBody(code, check.message));
    }
    let png: Buffer;
    try {
      png = await deps.render(check.request);
    } catch (err) {
      if (err instanceof UserFacingError) {
        return reply.code(404).header('cache-control', 'no-store').send(errorBody(err.code, err.message));
      }
      if (isRetryable(err)) {
        const code = err instanceof AppError ? err.code : 'METRICS_UNAVAILABLE';
        const busy = code === 'CHARTS_BUSY';
        const after = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
        req.log.warn(
          busy ? { code } : { err, code },
          busy ? 'chart refused: renders busy' : 'chart data unavailable; the client may retry',
        );
        return reply
          .code(503)
          .header('retry-after', String(typeof after === 'number' ? after : 10))
          .header('cache-control', 'no-store')
          .send(
            errorBody(
              code,
              busy
                ? 'Charts are busy right now; try again shortly.'
                : 'The metrics backend is unavailable; try again shortly.',
            ),
          );
      }
      throw err;
    }
    const ttl = Math.max(0, Math.min(maxAge, Math.floor((check.request.expiresAt - now) / 1000)));
    return reply
      .code(200)
      .header('content-type', 'image/png')
      .header('cache-control', `private, max-age=${ttl}`)
      .header('x-content-type-options', 'nosniff')
      .send(png);
  });
}
