import { type ChatPlatform, definePlatform } from '../chat-platform.ts';
import { registerConsoleRoutes } from '../http/console-routes.ts';
import { createConsoleSurface } from './console.ts';

/**
 * The local console as a chat platform: on in local mode (or with CONSOLE=on on loopback), its
 * channel is an on-call channel, and its page and JSON API are served once the dispatcher exists.
 */
export const consolePlatform = definePlatform<{ channel: string }>({
  id: 'console',
  fromConfig: (config) => (config.console ? { channel: config.consoleChannel } : undefined),
  setUp({ channel }, parts): ChatPlatform {
    parts.addTarget({ surface: 'console', channel });
    return {
      surface: createConsoleSurface(parts.store.consoleMessages, parts.clock, parts.scrub),
      connect({ app, dispatcher }) {
        registerConsoleRoutes(app, {
          messages: parts.store.consoleMessages,
          dispatcher,
          channel,
          clock: parts.clock,
        });
        return { readiness: [] };
      },
    };
  },
});
