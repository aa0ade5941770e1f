import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningBot, startBot } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import { type Clock, ManualClock } from '../../core/clock.ts';
import { CARD_UPDATE_COALESCE_MS } from '../../core/outbox/enqueue.ts';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface TestBot<C extends Clock = ManualClock> extends RunningBot {
  clock: C;
  logs: string[];
  dataDir: string;
  /** POSTs a JSON body to an alert endpoint with the test token. */
  postAlert(source: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Delivers everything that is due in the outbox, as the loop would. */
  flush(): Promise<void>;
  consoleMessages(): Promise<ConsoleApiMessage[]>;
  /** Types text in the console as `user`, delivers, and returns the newest message (the answer). */
  say(text: string, user?: string): Promise<ConsoleApiMessage>;
  /** Waits until `/readyz` reports the named check ok (a chat platform connecting at start). */
  waitReady(check: string): Promise<void>;
  /** Posts a Bot Framework activity to `/api/messages`, as Teams (or the Agents Playground) would. */
  sendActivity(activity: unknown): Promise<Response>;
  /** Closes the bot and removes its data; once, however often it is called. */
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
export async function startTestBot<C extends Clock = ManualClock>(
  env: Record<string, string> = {},
  clockArg?: C,
  options: { localPlatform?: boolean } = {},
): Promise<TestBot<C>> {
  const clock = (clockArg ?? new ManualClock()) as C;
  const dataDir = mkdtempSync(join(tmpdir(), 'oncall-bot-test-'));
  const logs: string[] = [];
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1', // tests listen on loopback only (the console insists on it in production)
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
  let stopped: Promise<void> | undefined;

  /**
   * Delivers everything queued, moving the clock over coalescing windows (up to
   * CARD_UPDATE_COALESCE_MS; tests that check a retry use a longer Retry-After).
   */
  async function flush(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      while ((await bot.delivery.runOnce()) > 0) {
        // keep delivering until nothing is due
      }
      const due = await bot.store.outbox.nextDueIn(clock.now());
      if (due === null || due === 0 || due > CARD_UPDATE_COALESCE_MS) return;
      if (!(clock instanceof ManualClock)) return;
      clock.advance(due);
    }
    throw new Error('flush: the outbox never drained');
  }
  const consoleMessages = async () =>
    (await (await fetch(`${bot.url}/api/console/messages`)).json()) as ConsoleApiMessage[];

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
    flush,
    consoleMessages,
    async say(text, user = 'alice') {
      const res = await fetch(`${bot.url}/api/console/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, text }),
      });
      if (res.status !== 202) throw new Error(`console refused "${text}": HTTP ${res.status}`);
      await flush();
      return (await consoleMessages()).at(-1)!;
    },
    async waitReady(check) {
      for (let i = 0; i < 200; i++) {
        const res = await fetch(`${bot.url}/readyz`);
        const body = (await res.json()) as { checks: Record<string, string> };
        if (body.checks[check] === 'ok') return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${check} never became ready`);
    },
    sendActivity: (activity) =>
      fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      }),
    async stop() {
      stopped ??= bot.close().then(() => rmSync(dataDir, { recursive: true, force: true }));
      await stopped;
    },
  };
}
