import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformParts } from '../../../bot/chat-platform.ts';
import { loadConfig } from '../../../bot/config.ts';
import { createLogger } from '../../../bot/logger.ts';
import { PLATFORMS } from '../../../bot/platforms.ts';
import { ManualClock } from '../../../core/clock.ts';
import type { ChannelTarget } from '../../../core/outbox/enqueue.ts';
import type { Store } from '../../../core/store.ts';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';

const TOKEN = 'a'.repeat(32);
const [consolePlatform, slackPlatform, teamsPlatform] = PLATFORMS;

/** The ids of the platforms a config switches on. */
const onFor = (env: Record<string, string>) =>
  PLATFORMS.filter((p) => p.fromConfig(loadConfig({ SIM: 'off', ...env })) !== undefined).map((p) => p.id);

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

function parts(): PlatformParts & { targets: ChannelTarget[] } {
  store = openSqliteStore({ path: ':memory:' });
  const targets: ChannelTarget[] = [];
  return {
    store,
    clock: new ManualClock(),
    logger: createLogger({ level: 'silent' }),
    scrub: (s) => s,
    targets,
    addTarget: (t) => targets.push(t),
  };
}

describe('the chat platform list', () => {
  it('each platform reads its own config: local mode has the console and anonymous Teams', () => {
    expect(onFor({})).toEqual(['console', 'teams']);
    expect(onFor({ BOT_MODE: 'production', ALERT_WEBHOOK_TOKEN: TOKEN })).toEqual([]);
    expect(
      onFor({
        BOT_MODE: 'production',
        ALERT_WEBHOOK_TOKEN: TOKEN,
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 'signing-secret',
        SLACK_CHANNEL: 'C0123ABCDEF',
        clientId: '00000000-0000-0000-0000-000000000001',
      }),
    ).toEqual(['slack', 'teams']);
  });

  it('the console adds its channel and its surface; its routes wait for the dispatcher', async () => {
    const p = parts();
    const platform = await consolePlatform!.setUp(consolePlatform!.fromConfig(loadConfig({ SIM: 'off' })), p);
    expect(platform.surface?.id).toBe('console');
    expect(p.targets).toEqual([{ surface: 'console', channel: 'oncall' }]);
  });

  it('Slack without a channel stays off: no surface, no target, and /readyz says what is missing', async () => {
    const p = parts();
    const config = loadConfig({
      BOT_MODE: 'production',
      ALERT_WEBHOOK_TOKEN: TOKEN,
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'signing-secret',
    });
    const platform = await slackPlatform!.setUp(slackPlatform!.fromConfig(config), p);
    expect(platform.surface).toBeUndefined();
    expect(p.targets).toEqual([]);
    const connected = await platform.connect({} as never);
    expect(connected.readiness.map((c) => c.name)).toEqual(['slack']);
    await expect(connected.readiness[0]!.check()).rejects.toThrow(/SLACK_CHANNEL/);
  });

  it('Teams with its on-call channel configured but not installed there adds no target yet', async () => {
    const p = parts();
    // A data dir of its own: no legacy conversation file to import.
    const dataDir = mkdtempSync(join(tmpdir(), 'platforms-test-'));
    const config = loadConfig({ SIM: 'off', DATA_DIR: dataDir, TEAMS_CHANNEL: '19:oncall@thread.tacv2' });
    const platform = await teamsPlatform!.setUp(teamsPlatform!.fromConfig(config), p);
    expect(platform.surface?.id).toBe('teams');
    expect(p.targets).toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
