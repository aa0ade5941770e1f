import { App, LogLevel, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import { registerSlackListeners, type SlackDispatch } from './listeners.ts';

export interface SlackBoltOptions {
  token: string;
  /** App-level token (xapp-…): events arrive over Socket Mode instead of `POST /slack/events`. */
  appToken?: string;
  /** Web API base (tests point it at the local server); Slack's by default. */
  apiUrl?: string;
  dispatcher: SlackDispatch;
  logger: Logger;
  /** Delay between start-up attempts while Slack is unreachable. */
  retryMs?: number;
  /** How the next attempt is scheduled (tests run it by hand). */
  schedule?: (run: () => Promise<void>, ms: number) => { cancel(): void };
}

/** Bolt's handle for requests we receive ourselves: Fastify is the HTTP server, not Bolt. */
const externalReceiver = (): Receiver => ({
  init: () => undefined,
  start: async () => undefined,
  stop: async () => undefined,
});

const timerSchedule = (run: () => Promise<void>, ms: number) => {
  const t = setTimeout(() => void run(), ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
};

/**
 * The Bolt app and its start-up. Bolt checks the token with `auth.test` before it handles events;
 * when Slack is unreachable that is retried in the background so the bot (and its other surfaces)
 * keep running, and readiness says why Slack is not ready yet.
 */
export class SlackBolt {
  readonly app: App;
  private ready = false;
  private lastError = 'starting';
  private pending: { cancel(): void } | undefined;
  private stopped = false;
  private readonly socketMode: boolean;

  constructor(private readonly options: SlackBoltOptions) {
    const clientOptions = {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      retryConfig: { retries: 0 },
    };
    this.socketMode = !!options.appToken;
    this.app = new App({
      token: options.token,
      receiver: options.appToken
        ? new SocketModeReceiver({
            appToken: options.appToken,
            logLevel: LogLevel.ERROR,
            autoReconnectEnabled: true,
            installerOptions: { clientOptions },
          })
        : externalReceiver(),
      deferInitialization: true,
      logLevel: LogLevel.ERROR,
      clientOptions,
    });
    registerSlackListeners(this.app, options.dispatcher, options.logger);
    this.app.error(async (err) => {
      options.logger.error({ err, code: 'SLACK_LISTENER' }, 'slack listener failed');
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Starts connecting; resolves after the first attempt, whatever its outcome. */
  async start(): Promise<void> {
    await this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pending?.cancel();
    if (this.socketMode && this.ready) await this.app.stop().catch(() => undefined);
  }

  /** For `/readyz`: throws while Slack has not accepted the token. */
  async check(): Promise<void> {
    if (!this.ready) throw new Error(`slack not connected (${this.lastError})`);
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.app.init();
      // Socket Mode: opens the WebSocket (apps.connections.open); it reconnects by itself later.
      if (this.socketMode) await this.app.start();
      this.ready = true;
      this.options.logger.info({ surface: 'slack', socketMode: this.socketMode }, 'slack connected');
    } catch (err) {
      this.lastError = (err as Error).message || 'auth.test failed';
      this.options.logger.warn(
        { err, code: 'SLACK_START', retryMs: this.options.retryMs ?? 15_000 },
        'slack not reachable at start-up; retrying',
      );
      const schedule = this.options.schedule ?? timerSchedule;
      this.pending = schedule(() => this.attempt(), this.options.retryMs ?? 15_000);
    }
  }
}
