import type { AckFn } from '@slack/bolt';
import type { Clock } from '../../core/clock.ts';
import { errorBody } from '../../core/errors.ts';
import type { SlackBolt } from '../adapters/slack/bolt-app.ts';
import { verifySlackSignature } from '../adapters/slack/verify-request.ts';
import type { BotServer } from './server.ts';

export interface SlackRouteDeps {
  bolt: SlackBolt;
  signingSecret: string;
  clock: Clock;
}

type Body = Record<string, unknown>;

/** Slack sends interactivity as `payload=<json>` and slash commands as plain form fields. */
function readForm(raw: Buffer): Body {
  const fields = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (typeof fields.payload === 'string') return JSON.parse(fields.payload) as Body;
  return fields;
}

function header(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/**
 * `POST /slack/events`: Events API, slash commands and interactivity in one endpoint. The
 * signature is checked over the raw bytes (5-minute window either way, on the bot's clock); the request is
 * answered as soon as the Bolt listener acknowledges, while the listener keeps working.
 */
export function registerSlackRoutes(app: BotServer, deps: SlackRouteDeps): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'buffer' },
      (req, body, done) => {
        req.rawBody = body as Buffer;
        try {
          done(null, readForm(body as Buffer));
        } catch {
          const err = Object.assign(new Error('payload is not JSON'), { statusCode: 400 });
          done(err, undefined);
        }
      },
    );

    scope.post('/slack/events', async (req, reply) => {
      const raw = req.rawBody?.toString('utf8') ?? '';
      try {
        verifySlackSignature({
          signingSecret: deps.signingSecret,
          body: raw,
          signature: header(req.headers['x-slack-signature']),
          timestamp: header(req.headers['x-slack-request-timestamp']),
          nowMs: deps.clock.now(),
        });
      } catch (err) {
        req.log.warn(
          { code: 'SLACK_BAD_SIGNATURE', reason: (err as Error).message },
          'slack request refused',
        );
        return reply
          .code(401)
          .send(errorBody('BAD_SIGNATURE', 'The Slack signature or timestamp did not verify.'));
      }
      const body = (req.body ?? {}) as Body;
      if (body.type === 'url_verification') return reply.send({ challenge: body.challenge });
      if (!deps.bolt.isReady) {
        // Slack retries events; commands show the user that the bot is not ready.
        return reply
          .code(503)
          .header('Retry-After', '10')
          .send(errorBody('SLACK_NOT_READY', 'The bot is still connecting to Slack.'));
      }

      let answer: (response: unknown) => void = () => undefined;
      const acked = new Promise<{ response: unknown }>((resolve) => {
        answer = (response) => resolve({ response });
      });
      const ack: AckFn<unknown> = async (response) => answer(response);
      const retryNum = Number(header(req.headers['x-slack-retry-num'])) || undefined;
      const processing = deps.bolt.app
        .processEvent({
          body,
          ack,
          ...(retryNum ? { retryNum, retryReason: header(req.headers['x-slack-retry-reason']) } : {}),
        })
        .then(
          () => ({ response: undefined }),
          (err: unknown) => {
            req.log.error({ err, code: 'SLACK_EVENT' }, 'slack event failed');
            return { response: undefined };
          },
        );
      // Whichever comes first: the listener's ack, or Bolt finishing without one (no listener).
      const { response } = await Promise.race([acked, processing]);
      if (response === undefined || response === '') return reply.code(200).send('');
      if (typeof response === 'string') return reply.code(200).type('text/plain').send(response);
      return reply.code(200).send(response);
    });
  });
}
