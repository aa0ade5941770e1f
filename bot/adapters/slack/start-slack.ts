import { LogLevel, WebClient } from '@slack/web-api';
import { type ChatPlatform, definePlatform, failingCheck, offPlatform } from '../../chat-platform.ts';
import type { SlackConfig } from '../../config.ts';
import { registerSlackRoutes } from '../../http/slack-routes.ts';
import { createSlackSurface } from '../slack.ts';
import { SlackBolt } from './bolt-app.ts';

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
 * Slack, when SLACK_BOT_TOKEN is set: the outbound surface (its own WebClient with retries off,
 * so the outbox decides) and the on-call channel first; Bolt for inbound, `POST /slack/events`
 * and a readiness check once the dispatcher exists. An incomplete configuration keeps Slack off
 * and says what is missing in /readyz.
 */
export const slackPlatform = definePlatform<SlackConfig>({
  id: 'slack',
  fromConfig: (config) => config.slack,
  setUp(config, parts): ChatPlatform {
    const missing = missingSettings(config);
    const channel = config.channel;
    if ((!config.signingSecret && !config.appToken) || !channel) {
      const reason = `slack is off: set ${missing.join(' and ')}`;
      parts.logger.warn({ code: 'SLACK_CONFIG_INCOMPLETE' }, reason);
      return offPlatform([failingCheck('slack', reason)]);
    }
    const client = new WebClient(config.botToken, {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      logLevel: LogLevel.ERROR,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    parts.addTarget({ surface: 'slack', channel });
    return {
      surface: createSlackSurface({ client, clock: parts.clock, scrub: parts.scrub, logger: parts.logger }),
      connect({ app, dispatcher }) {
        const bolt = new SlackBolt({
          token: config.botToken,
          ...(config.appToken ? { appToken: config.appToken } : {}),
          apiUrl: config.apiUrl,
          dispatcher,
          logger: parts.logger,
        });
        // Socket Mode needs no public endpoint; with a signing secret as well, both paths work.
        if (config.signingSecret) {
          registerSlackRoutes(app, { bolt, signingSecret: config.signingSecret, clock: parts.clock });
        }
        return {
          readiness: [{ name: 'slack', check: () => bolt.check() }],
          start: () => void bolt.start(),
          stop: () => bolt.stop(),
        };
      },
    };
  },
});
