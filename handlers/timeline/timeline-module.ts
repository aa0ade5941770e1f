import type { FastifyInstance } from 'fastify';
import type { HandlerDeps } from '../commands/command.ts';
import type { BotModule } from '../module.ts';
import { ownUrl } from '../queries/chart-route.ts';
import { createPostmortemCommand, registerPostmortemRoute } from './postmortem-command.ts';
import { createTimelineCommand } from './timeline-command.ts';

export interface TimelineModuleOptions {
  /** The modules before this one: their records join the timeline, their evidence the postmortem. */
  sources: readonly BotModule[];
  handlerDeps: HandlerDeps;
  /** HMAC key of the postmortem download links. */
  secret: string;
  publicUrl: string | undefined;
}

/**
 * The incident timeline as a module: `/timeline` and `/postmortem` (a Markdown draft served at a
 * signed URL), over the store's timeline and what the modules before it keep in their own records.
 */
export function createTimelineModule(options: TimelineModuleOptions): BotModule {
  let server: FastifyInstance | undefined;
  const sources = () => options.sources;
  const baseUrl = () => options.publicUrl?.replace(/\/$/, '') ?? (server && ownUrl(server));
  return {
    id: 'timeline',
    commands: [
      createTimelineCommand(sources),
      createPostmortemCommand({ sources, secret: options.secret, baseUrl }),
    ],
    registerRoutes(app) {
      server = app;
      const { store, clock, policy } = options.handlerDeps;
      registerPostmortemRoute(app, {
        store,
        clock,
        timeZone: policy.timeZone,
        secret: options.secret,
        sources,
      });
    },
  };
}
