import { join } from 'node:path';
import type { ChatSurface } from '../core/chat-surface.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import type { ChannelTarget } from '../core/outbox/enqueue.ts';
import type { SurfaceId } from '../core/outbox/outbox-entry.ts';
import { createSecretScrubber } from '../core/secret-scrubber.ts';
import type { Store } from '../core/store.ts';
import { createIncidentCardRenderer, type IncidentCardRenderer } from '../handlers/alerts/incident-view.ts';
import { createIncidentsModule } from '../handlers/alerts/incidents-module.ts';
import { createIngestQueue } from '../handlers/alerts/ingest.ts';
import { parseAlertmanager, parseAzureMonitor, parseGrafana } from '../handlers/alerts/intake/index.ts';
import { createStormCardRenderer } from '../handlers/alerts/storm-view.ts';
import type { CommandHandler, HandlerDeps } from '../handlers/commands/command.ts';
import { createHelpCommand } from '../handlers/commands/help-command.ts';
import type { BotModule } from '../handlers/module.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { createConsoleSurface } from './adapters/console.ts';
import { setUpSlack } from './adapters/slack/start-slack.ts';
import { setUpTeams } from './adapters/teams/start-teams.ts';
import type { Config } from './config.ts';
import { cachedCheck } from './http/cached-check.ts';
import { registerConsoleRoutes } from './http/console-routes.ts';
import { registerHealthRoutes } from './http/health-routes.ts';
import { registerIntakeRoutes } from './http/intake-routes.ts';
import { createServer } from './http/server.ts';
import { createDispatcher } from './inbound/dispatcher.ts';
import { type LocalPlatform, startAlertSimulator, startLocalPlatform } from './local-mode.ts';
import { createLogger, type Logger, type LoggerOptions } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { type Capabilities, createModules } from './modules.ts';
import { DeliveryLoop } from './outbox/delivery-loop.ts';
import { createTracing } from './tracing.ts';

/** How often periodic work runs (silence expiry, proposal expiry …). */
const TICK_MS = 15_000;
/** How long one store commit probe answers readiness for: probes every second write once a second at most. */
const STORE_PROBE_TTL_MS = 1000;

export interface BotOverrides {
  clock?: Clock;
  /** Where log lines go (tests collect them to prove secrets never appear). */
  logDestination?: LoggerOptions['destination'];
  /** Pre-built store (tests of other engines); by default SQLite under DATA_DIR. */
  store?: Store;
  /** Start the simulated platform (Kubernetes API, GPU fleet) in local mode; default true. */
  localPlatform?: boolean;
}

export interface RunningBot {
  url: string;
  port: number;
  config: Config;
  store: Store;
  logger: Logger;
  delivery: DeliveryLoop;
  /** Every chat command this bot answers (the registry the Slack and Teams manifests must match). */
  commands: readonly CommandHandler[];
  /** The simulated platform, in local mode. */
  platform: LocalPlatform | undefined;
  /** The periodic work (silence expiry, storm end, modules' ticks) once, now; tests call it. */
  tick(): Promise<void>;
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
    (config.databaseUrl
      ? await openPostgresStore({ connectionString: config.databaseUrl })
      : openSqliteStore({ path: join(config.dataDir, 'bot.db'), synchronous: config.sqliteSynchronous }));
  const metrics = createMetrics(() => store.outbox.pendingCount());
  const tracing = createTracing(config.tracing, scrub);

  const surfaces = new Map<SurfaceId, ChatSurface>();
  const targets: ChannelTarget[] = [];
  if (config.console) {
    surfaces.set('console', createConsoleSurface(store.consoleMessages, clock, scrub));
    targets.push({ surface: 'console', channel: config.consoleChannel });
  }
  // The delivery loop is created before the modules so they can wake it; it needs the renderer,
  // which needs the modules: a late-bound reference closes the loop.
  let render: IncidentCardRenderer = createIncidentCardRenderer(config.policy);
  const renderIncident: IncidentCardRenderer = (repos, id, now) =>
    tracing.span(
      'card.render',
      { 'incident.id': id },
      () => render(repos, id, now),
      tracing.incidentContext(id),
    );
  let modules: BotModule[] = [];
  let capabilities: Capabilities | undefined;
  const delivery = new DeliveryLoop({
    store,
    surfaces,
    renderIncident,
    renderStorm: createStormCardRenderer(config.policy),
    proposalCards: () => capabilities?.proposalCards,
    holdsIncidentCard: (incident) => modules.some((m) => m.holdsIncidentCard?.(incident) === true),
    clock,
    logger,
    metrics,
    tracing,
    leaseMs: config.outboxLeaseMs,
  });
  const kick = () => delivery.kick();

  const platform =
    config.mode === 'local' && overrides.localPlatform !== false
      ? await startLocalPlatform(clock)
      : undefined;
  const handlerDeps: HandlerDeps = { store, policy: config.policy, clock, targets };
  capabilities = await createModules({
    config,
    store,
    clock,
    logger,
    targets,
    kick,
    platform,
    metrics,
    tracing,
  });
  modules = [createIncidentsModule({ handlerDeps, onQueued: kick }), ...capabilities.modules];
  render = createIncidentCardRenderer(config.policy, modules);

  const commands = modules.flatMap((m) => m.commands ?? []);
  commands.push(createHelpCommand(() => commands));
  const buttons = modules.flatMap((m) => m.buttons ?? []);
  const { answerQuestion } = capabilities;
  const dispatcher = createDispatcher({
    commands,
    buttons,
    handlerDeps,
    logger,
    onQueued: kick,
    answerQuestion,
  });

  const app = createServer({ logger, maxBodyBytes: config.maxBodyBytes });
  const slack =
    config.slack && setUpSlack(config.slack, { app, clock, scrub, dispatcher, logger, surfaces, targets });
  const teams = await setUpTeams(config, {
    app,
    conversations: store.conversations,
    clock,
    scrub,
    logger,
    dispatcher,
    targets,
    findIncident: (activityId) => store.chatMessages.findIncidentByMessage('teams', activityId),
    renderIncident: async (id) => (await renderIncident(store, id, clock.now()))?.message,
  });
  if (teams.surface) surfaces.set('teams', teams.surface);
  registerIntakeRoutes(app, {
    ingest: createIngestQueue({ store, policy: config.policy, targets, clock }),
    parsers: { alertmanager: parseAlertmanager, 'azure-monitor': parseAzureMonitor, grafana: parseGrafana },
    token: config.alertWebhookToken,
    grafana: config.grafana,
    metrics,
    tracing,
    clock,
    onAccepted: kick,
  });
  if (config.console) {
    registerConsoleRoutes(app, {
      messages: store.consoleMessages,
      dispatcher,
      channel: config.consoleChannel,
      clock,
    });
  }
  for (const m of modules) m.registerRoutes?.(app);
  registerHealthRoutes(
    app,
    [
      // "Ready" means intake can commit, not just that the database answers (full disk, read-only).
      cachedCheck({ name: 'store', check: () => store.probeCommit(clock.now()) }, clock, STORE_PROBE_TTL_MS),
      ...(slack ? [slack.readiness] : []),
      ...teams.readiness,
      ...modules.flatMap((m) => m.readiness ?? []),
    ],
    metrics.registry,
  );

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  delivery.start();
  slack?.start();

  const tick = async () => {
    for (const m of modules) await m.tick?.();
    await teams.refresh(); // another replica may have recorded the Teams on-call channel
  };
  const ticker = setInterval(() => {
    tick().catch((err) => logger.warn({ err, code: 'TICK_FAILED' }, 'periodic work failed; will run again'));
  }, TICK_MS);
  ticker.unref();

  const simulator = config.sim
    ? startAlertSimulator({ botUrl: url, token: config.alertWebhookToken, logger, platform })
    : undefined;
  logger.info({ url, mode: config.mode, sim: config.sim, store: store.engine }, 'on-call bot started');

  return {
    url,
    port,
    config,
    store,
    logger,
    delivery,
    commands,
    platform,
    tick,
    async close() {
      simulator?.stop();
      clearInterval(ticker);
      await slack?.stop();
      await app.close();
      await delivery.stop();
      for (const m of modules) await m.close?.();
      await platform?.close();
      await store.close();
      await tracing.shutdown();
    },
  };
}
