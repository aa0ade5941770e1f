import { join } from 'node:path';
import { sweepExpiredSilences } from '../handlers/alerts/incident-actions.ts';
import { createIngestQueue } from '../handlers/alerts/ingest.ts';
import { parseAlertmanager, parseAzureMonitor, parseGrafana } from '../handlers/alerts/intake/index.ts';
import { ackButton, ackCommand } from '../handlers/commands/ack-command.ts';
import { alertsCommand } from '../handlers/commands/alerts-command.ts';
import type { ButtonHandler, CommandHandler, HandlerDeps } from '../handlers/commands/command.ts';
import { createHelpCommand } from '../handlers/commands/help-command.ts';
import {
  silenceButton,
  silenceCommand,
  unsilenceButton,
  unsilenceCommand,
} from '../handlers/commands/silence-command.ts';
import { startAlertSimulator } from '../sim/alert-simulator.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import type { ChatSurface } from './adapters/chat-surface.ts';
import { createConsoleSurface } from './adapters/console.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { registerConsoleRoutes } from './http/console-routes.ts';
import { registerHealthRoutes } from './http/health-routes.ts';
import { registerIntakeRoutes } from './http/intake-routes.ts';
import { createServer } from './http/server.ts';
import { createDispatcher } from './inbound/dispatcher.ts';
import { createLogger, createSecretScrubber, type Logger, type LoggerOptions } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { DeliveryLoop } from './outbox/delivery-loop.ts';
import type { ChannelTarget } from './outbox/enqueue.ts';
import type { SurfaceId } from './outbox/outbox-entry.ts';

/** Every chat command, named once. */
const COMMANDS: CommandHandler[] = [alertsCommand, ackCommand, silenceCommand, unsilenceCommand];
/** Every card button, named once. */
const BUTTONS: ButtonHandler[] = [ackButton, silenceButton, unsilenceButton];

const SILENCE_SWEEP_MS = 15_000;

export interface BotOverrides {
  clock?: Clock;
  /** Where log lines go (tests collect them to prove secrets never appear). */
  logDestination?: LoggerOptions['destination'];
  /** Pre-built store (tests of other engines); by default SQLite under DATA_DIR. */
  store?: Store;
}

export interface RunningBot {
  url: string;
  port: number;
  config: Config;
  store: Store;
  logger: Logger;
  delivery: DeliveryLoop;
  close(): Promise<void>;
}

/**
 * The composition root: builds every part from the config, wires them together explicitly and
 * starts the HTTP server, the delivery loop, the silence sweeper and (in local mode) the simulator.
 */
export async function startBot(config: Config, overrides: BotOverrides = {}): Promise<RunningBot> {
  const clock = overrides.clock ?? systemClock;
  const logger = createLogger({
    level: config.logLevel,
    secrets: config.secrets,
    destination: overrides.logDestination,
  });
  const scrub = createSecretScrubber(config.secrets);
  const store =
    overrides.store ??
    openSqliteStore({ path: join(config.dataDir, 'bot.db'), synchronous: config.sqliteSynchronous });
  const metrics = createMetrics(() => store.outbox.pendingCount());

  const surfaces = new Map<SurfaceId, ChatSurface>([
    ['console', createConsoleSurface(store.consoleMessages, clock, scrub)],
  ]);
  const targets: ChannelTarget[] = [{ surface: 'console', channel: config.consoleChannel }];
  const delivery = new DeliveryLoop({ store, surfaces, policy: config.policy, clock, logger, metrics });
  const handlerDeps: HandlerDeps = { store, policy: config.policy, clock, targets };
  const commands = [...COMMANDS];
  commands.push(createHelpCommand(() => commands));
  const dispatcher = createDispatcher({
    commands,
    buttons: BUTTONS,
    handlerDeps,
    logger,
    onQueued: () => delivery.kick(),
  });

  const app = createServer({ logger, maxBodyBytes: config.maxBodyBytes });
  registerIntakeRoutes(app, {
    ingest: createIngestQueue({ store, policy: config.policy, targets, clock }),
    parsers: { alertmanager: parseAlertmanager, 'azure-monitor': parseAzureMonitor, grafana: parseGrafana },
    token: config.alertWebhookToken,
    grafana: config.grafana,
    metrics,
    clock,
    onAccepted: () => delivery.kick(),
  });
  registerConsoleRoutes(app, {
    messages: store.consoleMessages,
    dispatcher,
    channel: config.consoleChannel,
    clock,
  });
  registerHealthRoutes(app, [{ name: 'store', check: () => store.ping() }], metrics.registry);

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  delivery.start();

  const sweeper = setInterval(() => {
    sweepExpiredSilences(handlerDeps)
      .then((n) => n > 0 && delivery.kick())
      .catch((err) => logger.warn({ err, code: 'SILENCE_SWEEP' }, 'silence sweep failed'));
  }, SILENCE_SWEEP_MS);
  sweeper.unref();

  const simulator = config.sim
    ? startAlertSimulator({ botUrl: url, token: config.alertWebhookToken, logger })
    : undefined;
  logger.info({ url, mode: config.mode, sim: config.sim, store: store.engine }, 'on-call bot started');

  return {
    url,
    port,
    config,
    store,
    logger,
    delivery,
    async close() {
      simulator?.stop();
      clearInterval(sweeper);
      await app.close();
      await delivery.stop();
      await store.close();
    },
  };
}
