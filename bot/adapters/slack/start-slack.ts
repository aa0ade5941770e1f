import { LogLevel, WebClient } from '@slack/web-api';
import type { ChatSurface } from '../../../core/chat-surface.ts';
import type { Clock } from '../../../core/clock.ts';
import type { ChannelTarget } from '../../../core/outbox/enqueue.ts';
import type { SurfaceId } from '../../../core/outbox/outbox-entry.ts';
import type { ReadinessCheck } from '../../../core/readiness.ts';
import type { SlackConfig } from '../../config.ts';
import type { BotServer } from '../../http/server.ts';
import { registerSlackRoutes } from '../../http/slack-routes.ts';
import type { Logger } from '../../logger.ts';
import { createSlackSurface } from '../slack.ts';
import { SlackBolt } from './bolt-app.ts';
import type { SlackDispatch } from './listeners.ts';

export interface SlackParts {
  readiness: ReadinessCheck;
  /** Starts connecting in the background; never throws. */
  start(): void;
  stop(): Promise<void>;
}

export interface SlackSetUpDeps {
  app: BotServer;
  clock: Clock;
  scrub: (s: string) => string;
  dispatcher: SlackDispatch;
  logger: Logger;
  /** Slack adds its surface here … */
  surfaces: Map<SurfaceId, ChatSurface>;
  /** … and its on-call channel here. */
  targets: ChannelTarget[];
}

/** What is missing for Slack to run, as sentences for /readyz and the log. */
function missingSettings(config: SlackConfig): string[] {
  const missing: string[] = [];
  if (!config.signingSecret && !config.appToken) {
    missing.push("SLACK_SIGNING_SECRET (from the app's Basic Information page) or SLACK_APP_TOKEN");
  }
  if (!config.channel) missing.push('SLACK_CHANNEL (the id of the on-call channel)');
  return missing;
}

/**
 * Everything Slack needs, built from the config: the outbound surface (its own WebClient with
 * retries off, so the outbox decides), Bolt for inbound, `POST /slack/events` and a readiness
 * check. An incomplete configuration keeps Slack off and says what is missing in /readyz.
 */
export function setUpSlack(config: SlackConfig, deps: SlackSetUpDeps): SlackParts {
  const missing = missingSettings(config);
  if ((!config.signingSecret && !config.appToken) || !config.channel) {
    const reason = `slack is off: set ${missing.join(' and ')}`;
    deps.logger.warn({ code: 'SLACK_CONFIG_INCOMPLETE' }, reason);
    return {
      readiness: {
        name: 'slack',
        check: async () => {
          throw new Error(reason);
        },
      },
      start: () => undefined,
      stop: async () => undefined,
    };
  }
  const client = new WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const bolt = new SlackBolt({
    token: config.botToken,
    ...(config.appToken ? { appToken: config.appToken } : {}),
    apiUrl: config.apiUrl,
    dispatcher: deps.dispatcher,
    logger: deps.logger,
  });
  // Socket Mode needs no public endpoint; with a signing secret as well, both paths work.
  if (config.signingSecret) {
    registerSlackRoutes(deps.app, { bolt, signingSecret: config.signingSecret, clock: deps.clock });
  }
  deps.surfaces.set(
    'slack',
    createSlackSurface({ client, clock: deps.clock, scrub: deps.scrub, logger: deps.logger }),
  );
  deps.targets.push({ surface: 'slack', channel: config.channel });
  return {
    readiness: { name: 'slack', check: () => bolt.check() },
    start: () => void bolt.start(),
    stop: () => bolt.stop(),
  };
}
