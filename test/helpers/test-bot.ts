import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningBot, startBot } from '../../bot/app.ts';
import { ManualClock } from '../../bot/clock.ts';
import { loadConfig } from '../../bot/config.ts';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface TestBot extends RunningBot {
  clock: ManualClock;
  logs: string[];
  dataDir: string;
  /** POSTs a JSON body to an alert endpoint with the test token. */
  postAlert(source: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Delivers everything that is due in the outbox, as the loop would. */
  flush(): Promise<void>;
  consoleMessages(): Promise<ConsoleApiMessage[]>;
  stop(): Promise<void>;
}

export interface ConsoleApiMessage {
  id: string;
  threadId: string | null;
  author: string;
  createdAt: string;
  updatedAt: string;
  text: string;
  card: Record<string, unknown> | null;
}

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}`, import.meta.url), 'utf8'));
}

/** The real bot on an OS-assigned port, with a manual clock, a temp data dir and captured logs. */
export async function startTestBot(
  env: Record<string, string> = {},
  clock = new ManualClock(),
  options: { localPlatform?: boolean } = {},
): Promise<TestBot> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oncall-bot-test-'));
  const logs: string[] = [];
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    SIM: 'off',
    ALERT_WEBHOOK_TOKEN: TEST_TOKEN,
    LOG_LEVEL: 'debug',
    ...env,
  });
  const bot = await startBot(config, {
    clock,
    logDestination: { write: (line: string) => logs.push(line) },
    localPlatform: options.localPlatform ?? false,
  });
  await bot.delivery.stop(); // tests deliver explicitly with flush(), so timing never matters
  return {
    ...bot,
    clock,
    logs,
    dataDir,
    postAlert: (source, body, headers = {}) =>
      fetch(`${bot.url}/api/alerts/${source}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}`, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async flush() {
      while ((await bot.delivery.runOnce()) > 0) {
        // keep delivering until nothing is due
      }
    },
    async consoleMessages() {
      return (await (await fetch(`${bot.url}/api/console/messages`)).json()) as ConsoleApiMessage[];
    },
    async stop() {
      await bot.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
