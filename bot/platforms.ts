import { consolePlatform } from './adapters/console-platform.ts';
import { slackPlatform } from './adapters/slack/start-slack.ts';
import { teamsPlatform } from './adapters/teams/start-teams.ts';
import type { PlatformPlugin } from './chat-platform.ts';

/**
 * Every chat platform of the bot, named once. Each is its adapter's own files under
 * bot/adapters/ with a `PlatformPlugin` (how it reads the config, its surface, its routes); the
 * composition root sets up those whose config is present, in this order (their readiness checks
 * and ticks follow it).
 */
export const PLATFORMS: readonly PlatformPlugin<unknown>[] = [consolePlatform, slackPlatform, teamsPlatform];
