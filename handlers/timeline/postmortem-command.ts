import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatIncidentId } from '../../core/alerts/incident.ts';
import type { Clock } from '../../core/clock.ts';
import { UserFacingError } from '../../core/errors.ts';
import { buildMessage } from '../../core/message.ts';
import type { Store } from '../../core/store.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import { resolveIncidentId } from '../commands/incident-ref.ts';
import type { BotModule } from '../module.ts';
import { draftPostmortem } from './postmortem-draft.ts';
import { signPostmortemLink, verifyPostmortemLink } from './postmortem-link.ts';

export interface PostmortemOptions {
  sources: () => readonly BotModule[];
  /** HMAC key of the download links (the bot's signed-URL secret). */
  secret: string;
  /** The bot's public base URL (no trailing slash), known once the server listens. */
  baseUrl: () => string | undefined;
}

const fileName = (incidentId: number) => `${formatIncidentId(incidentId)}-postmortem.md`;

/**
 * `/postmortem <incident>`: a Markdown draft from the bot's records, as a signed download; Slack
 * also gets the file itself in the thread (files upload v2), from the same link.
 */
export function createPostmortemCommand(options: PostmortemOptions): CommandHandler {
  return defineCommand({
    id: 'postmortem',
    usage: '/postmortem [incident]',
    description: 'A postmortem draft (Markdown) from the incident’s records, to download.',
    args: z.object({ positional: z.array(z.string()).max(1) }),
    async handle({ args, incidentId }, deps) {
      const id = resolveIncidentId(args.positional[0], incidentId, '/postmortem INC-42');
      const now = deps.clock.now();
      const draft = await draftPostmortem(deps.store, options.sources(), id, {
        timeZone: deps.policy.timeZone,
        now,
      });
      const base = options.baseUrl();
      if (!base)
        throw new UserFacingError(
          'NO_PUBLIC_URL',
          'The bot does not know its own address yet; try again in a moment.',
        );
      const url = `${base}/postmortems/${signPostmortemLink(id, now, options.secret)}/${fileName(id)}`;
      return buildMessage({
        header: {
          title: `${formatIncidentId(id)} postmortem draft`,
          status: 'info',
          subtitle: `${draft.events} timeline events · ${Math.round(draft.markdown.length / 1024)} KB of Markdown`,
        },
        sections: [
          {
            kind: 'text',
            text: 'Summary, impact window, affected resources, timeline, evidence, actions and open questions, from what the bot recorded. The link works for 7 days.',
          },
          {
            kind: 'links',
            links: [
              { title: `Download ${fileName(id)}`, url, file: { name: fileName(id), type: 'text/markdown' } },
            ],
          },
        ],
      });
    },
  });
}

/** `GET /postmortems/<token>/INC-42-postmortem.md`: the draft, built on request from the store. */
export function registerPostmortemRoute(
  app: FastifyInstance,
  deps: { store: Store; clock: Clock; timeZone: string; secret: string; sources: () => readonly BotModule[] },
): void {
  // A wildcard: a signed token is longer than a route parameter may be.
  app.get<{ Params: { '*': string } }>('/postmortems/*', async (req, reply) => {
    const token = req.params['*'].split('/')[0] ?? '';
    const check = verifyPostmortemLink(token, deps.secret, deps.clock.now());
    if (!check.ok) return reply.code(check.status).type('text/plain; charset=utf-8').send(check.message);
    try {
      const { markdown } = await draftPostmortem(deps.store, deps.sources(), check.incidentId, {
        timeZone: deps.timeZone,
        now: deps.clock.now(),
      });
      return reply
        .type('text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(check.incidentId)}"`)
        .header('cache-control', 'private, no-store')
        .send(markdown);
    } catch (err) {
      if (err instanceof UserFacingError)
        return reply.code(404).type('text/plain; charset=utf-8').send(err.message);
      throw err;
    }
  });
}
