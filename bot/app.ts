import { join } from 'node:path';
import type { ChatSurface } from '../core/chat-surface.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import type { ChannelTarget } from '../core/outbox/enqueue.ts';
import type { SurfaceId } from '../core/outbox/outbox-entry.ts';
import { createSecretScrubber } from '../core/secret-scrubber.ts';
import { createIncidentCardRenderer, type IncidentCardRenderer } from '../handlers/alerts/incident-view.ts';
import { createIngestQueue } from '../handlers/alerts/ingest.ts';
import { parseAlertmanager, parseAzureMonitor, parseGrafana } from '../handlers/alerts/intake/index.ts';
import { createStormCardRenderer } from '../handlers/alerts/storm-view.ts';
import type { CommandHandler, HandlerDeps } from '../handlers/commands/command.ts';
import type { BotStore } from '../store/bot-store.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { createBackends } from './backends.ts';
import type { ChatPlatform, ConnectedPlatform, PlatformParts } from './chat-platform.ts';
import type { Config } from './config.ts';
import { cachedCheck } from './http/cached-check.ts';
import { registerHealthRoutes } from './http/health-routes.ts';
import { registerIntakeRoutes } from './http/intake-routes.ts';
import { createServer } from './http/server.ts';
import { createDispatcher } from './inbound/dispatcher.ts';
import { type LocalPlatform, startAlertSimulator, startLocalPlatform } from './local-mode.ts';
import { createLogger, type Logger, type LoggerOptions } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { closeModules } from './module-list.ts';
import { MODULES } from './modules.ts';
import { DeliveryLoop } from './outbox/delivery-loop.ts';
import { createQueuedSignal, type QueuedSignal } from './outbox/queued-signal.ts';
import { PLATFORMS } from './platforms.ts';
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
  store?: BotStore;
  /** Start the simulated platform (Kubernetes API, GPU fleet) in local mode; default true. */
  localPlatform?: boolean;
}

export interface RunningBot {
  url: string;
  port: number;
  config: Config;
  store: BotStore;
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
 * The composition root: builds every part from the config in dependency order and wires them
 * explicitly — the chat platforms' outbound side (bot/platforms.ts), the shared backends, the
 * modules (bot/modules.ts), the card renderer over them, the delivery loop, the dispatcher, the
 * HTTP routes — then starts the server, the delivery loop, the periodic work and (in local mode)
 * the simulator. Nothing is bound late: the one real cycle (modules queue cards the delivery loop
 * renders with the modules) is broken by the {@link QueuedSignal} port, created first.
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
  const queued = createQueuedSignal();
  const kick = () => queued.notify();

  // Where incident cards go: every platform's on-call channel (Teams adds its own once known).
  const targets: ChannelTarget[] = [];
  const platformParts: PlatformParts = {
    store,
    clock,
    logger,
    scrub,
    targets,
    addTarget: (target) => targets.push(target),
  };
  const chatPlatforms: ChatPlatform[] = [];
  for (const plugin of PLATFORMS) {
    const settings = plugin.fromConfig(config);
    if (settings !== undefined) chatPlatforms.push(await plugin.setUp(settings, platformParts));
  }
  const surfaces = new Map<SurfaceId, ChatSurface>(
    chatPlatforms.flatMap((p) => (p.surface ? [[p.surface.id, p.surface] as const] : [])),
  );

  const platform =
    config.mode === 'local' && overrides.localPlatform !== false
      ? await startLocalPlatform(clock)
      : undefined;
  const startedAt = performance.now();
  const backends = createBackends(config, { clock, platform, metrics });
  const handlerDeps: HandlerDeps = { store, policy: config.policy, clock, targets };
  const { modules, provided } = await MODULES.setUp(config, {
    store,
    clock,
    logger,
    targets,
    handlerDeps,
    queued: kick,
    platform,
    backends,
    metrics,
    tracing,
  });

  const renderCard = createIncidentCardRenderer(config.policy, modules);
  const renderIncident: IncidentCardRenderer = (repos, id, now) =>
    tracing.span(
      'card.render',
      { 'incident.id': id },
      () => renderCard(repos, id, now),
      tracing.incidentContext(id),
    );
  const delivery = new DeliveryLoop({
    store,
    surfaces,
    renderIncident,
    renderStorm: createStormCardRenderer(config.policy),
    proposalCards: provided.proposalCards,
    holdsIncidentCard: provided.holdsIncidentCard,
    clock,
    logger,
    metrics,
    tracing,
    leaseMs: config.outboxLeaseMs,
  });
  queued.listen(() => delivery.kick());

  const { commands } = provided;
  const dispatcher = createDispatcher({
    commands,
    buttons: modules.flatMap((m) => m.buttons ?? []),
    handlerDeps,
    logger,
    onQueued: kick,
    answerQuestion: provided.answerQuestion,
  });

  const app = createServer({ logger, maxBodyBytes: config.maxBodyBytes });
  const connected: ConnectedPlatform[] = [];
  for (const p of chatPlatforms)
    connected.push(
      await p.connect({
        app,
        dispatcher,
        renderIncident: async (id) => (await renderIncident(store, id, clock.now()))?.message,
      }),
    );
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
  for (const m of modules) m.registerRoutes?.(app);
  registerHealthRoutes(
    app,
    [
      // "Ready" means intake can commit, not just that the database answers (full disk, read-only).
      cachedCheck({ name: 'store', check: () => store.probeCommit(clock.now()) }, clock, STORE_PROBE_TTL_MS),
      ...connected.flatMap((p) => p.readiness),
      ...modules.flatMap((m) => m.readiness ?? []),
    ],
    metrics.registry,
  );

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  delivery.start();
  for (const p of connected) p.start?.();

  const tick = async () => {
    for (const m of modules) await m.tick?.();
    // Platforms after the modules: another replica may have recorded the Teams on-call channel.
    for (const p of connected) await p.tick?.();
  };
  const ticker = setInterval(() => {
    tick().catch((err) => logger.warn({ err, code: 'TICK_FAILED' }, 'periodic work failed; will run again'));
  }, TICK_MS);
  ticker.unref();

  const simulator = config.sim
    ? startAlertSimulator({
        botUrl: url,
        token: config.alertWebhookToken,
        logger,
        platform,
        clock,
        // The telemetry's scenario start; a bot without the platform starts the story now.
        startMs: platform?.startedAt ?? clock.now(),
      })
    : undefined;
  logger.info({ url, mode: config.mode, sim: config.sim, store: store.engine }, 'on-call bot started');
  backends.warmed.then(
    () => logger.info({ ms: Math.round(performance.now() - startedAt) }, 'query workers ready'),
    (err) => logger.warn({ err, code: 'WORKERS_FAILED' }, 'query workers failed to start'),
  );

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
      for (const p of connected) await p.stop?.();
      await app.close();
      await delivery.stop();
      await closeModules(modules);
      // After the modules: their work in flight (evidence) runs on the workers.
      await backends.close();
      await platform?.close();
      await store.close();
      await tracing.shutdown();
    },
  };
}
