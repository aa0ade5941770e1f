import { Activity } from '@microsoft/agents-activity';
import type { Request as AgentsRequest, CloudAdapter, WebResponse } from '@microsoft/agents-hosting';
import { errorBody } from '../../core/errors.ts';
import { inboundActivity } from '../adapters/teams/activity.ts';
import type { TeamsInbound } from '../adapters/teams/inbound.ts';
import type { BotServer } from './server.ts';

interface FastifyLikeReply<R> {
  code(status: number): R;
  headers(values: Record<string, string>): R;
  send(body?: unknown): R;
}

/**
 * The express-like response the Agents SDK writes to (`status`, `setHeader`, `send`, `end`).
 * It only collects; the Fastify reply is sent once the SDK is done, so Fastify keeps owning the
 * socket (and its error handling and logging).
 */
class CollectedResponse implements WebResponse {
  statusCode = 200;
  headers: Record<string, string> = {};
  body: unknown;
  headersSent = false;
  writableEnded = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  send(body?: unknown): this {
    if (body !== undefined) this.body = body;
    return this;
  }
  end(): this {
    this.writableEnded = true;
    return this;
  }

  deliver<R extends FastifyLikeReply<R>>(reply: R): R {
    const r = reply.code(this.statusCode).headers(this.headers);
    return this.body === undefined ? r.send() : r.send(this.body);
  }
}

/**
 * `POST /api/messages`, the Bot Framework messaging endpoint, served by the Agents SDK's
 * {@link CloudAdapter}: its JWT middleware checks the bearer token (anonymous only without a
 * client id outside production), then `process` runs the turn. Activities are handled by
 * `inbound`; an invoke's answer (the re-rendered card) goes back as the SDK's invoke response.
 */
export function registerTeamsRoutes(app: BotServer, adapter: CloudAdapter, inbound: TeamsInbound): void {
  app.post('/api/messages', async (req, reply) => {
    const request: AgentsRequest = {
      // Fastify has parsed the JSON already; the SDK reads `req.body` as is.
      body: req.body as Record<string, unknown>,
      headers: req.headers,
      method: req.method,
    };
    const res = new CollectedResponse();
    let authorized = false;
    await adapter.authorizeRequest(request, res, () => {
      authorized = true;
    });
    if (!authorized) return res.deliver(reply);

    const parsed = inboundActivity.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply
        .code(400)
        .send(
          errorBody('BAD_ACTIVITY', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`),
        );
    }
    let turnStarted = false;
    try {
      await adapter.process(request, res, async (context) => {
        turnStarted = true;
        const answer = await inbound.handle(parsed.data);
        if (context.activity.type === 'invoke') {
          await context.sendActivity(
            Activity.fromObject({
              type: 'invokeResponse',
              value: { status: answer.status, body: answer.body },
            }),
          );
        }
      });
    } catch (err) {
      // The SDK's own activity schema is stricter than ours in places (e.g. empty ids).
      if (turnStarted || (err as Error)?.name !== 'ZodError') throw err;
      return reply
        .code(400)
        .send(
          errorBody(
            'BAD_ACTIVITY',
            `the activity does not match the Activity schema: ${(err as Error).message.slice(0, 300)}`,
          ),
        );
    }
    return res.deliver(reply);
  });
}
