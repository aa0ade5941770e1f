import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import { AppError, errorBody, StoreUnavailableError } from '../../core/errors.ts';
import type { Logger } from '../logger.ts';
import { invalidUtf8Offset } from './utf8-offset.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received, for signature checks (Grafana HMAC, Slack). */
    rawBody: Buffer | null;
  }
}

export interface ServerOptions {
  logger: Logger;
  maxBodyBytes: number;
}

/**
 * The HTTP server: JSON bodies kept raw for signature checks, a body size limit, request ids, and
 * one error mapping (4xx says what is wrong with the request; 503 asks the sender to retry).
 */
export function createServer(options: ServerOptions): FastifyInstance {
  // Fastify's own logger interface, so route modules use plain `FastifyInstance`.
  const fastifyLogger: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance: fastifyLogger,
    // Per-request lines would dominate the log at alert-storm rates; handlers log what matters.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: options.maxBodyBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  app.decorateRequest('rawBody', null);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    // toString would turn invalid bytes into U+FFFD and the alert would be stored altered.
    const offset = invalidUtf8Offset(body as Buffer);
    if (offset >= 0) {
      const err = new AppError('INVALID_UTF8', `the body is not valid UTF-8 at byte offset ${offset}`);
      return done(Object.assign(err, { statusCode: 400 }), undefined);
    }
    parseJson(req, (body as Buffer).toString('utf8'), done);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof StoreUnavailableError) {
      req.log.warn({ err, code: err.code }, 'store unavailable; asking the sender to retry');
      return reply
        .code(503)
        .header('Retry-After', '5')
        .send(errorBody(err.code, 'Temporarily unavailable; retry shortly.'));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(413)
        .send(
          errorBody(
            'PAYLOAD_TOO_LARGE',
            `The body is larger than the limit of ${options.maxBodyBytes} bytes (MAX_BODY_BYTES).`,
          ),
        );
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code =
        err instanceof AppError
          ? err.code
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'BAD_REQUEST';
      const message =
        code === 'UNSUPPORTED_MEDIA_TYPE'
          ? 'Send the body as application/json.'
          : `Invalid request: ${err.message}`;
      return reply.code(err.statusCode).send(errorBody(code, message));
    }
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    req.log.error({ err, code, requestId: req.id }, 'request failed');
    return reply.code(500).send(errorBody(code, `Internal error (ref ${req.id}).`));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody('NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}.`)),
  );
  return app;
}

/** The bot's HTTP server: plain Fastify, so modules below the root need no type of bot/. */
export type BotServer = FastifyInstance;
