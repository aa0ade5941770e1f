import type { Registry } from 'prom-client';
import type { AlertPolicy } from '../../core/alerts/alert-policy.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { ChannelTarget } from '../../core/outbox/enqueue.ts';
import type { Store } from '../../core/store.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import type { CostPolicy } from '../../queries/cost/cost-policy.ts';
import { ingestAlerts } from '../alerts/ingest.ts';
import type { BotModule } from '../module.ts';
import { checkDetectors } from './detector.ts';
import { createDetectorMetrics } from './detector-metrics.ts';
import { DetectorScheduler } from './detector-scheduler.ts';
import { type ConfiguredDetector, configuredDetectors, type DetectorsPolicy } from './detectors-policy.ts';

export interface DetectorsModuleOptions {
  policy: DetectorsPolicy;
  /** The alert policy the pipeline classifies and groups with (tiers, flap window, silences). */
  alertPolicy: AlertPolicy;
  logs: LogsBackend;
  /** GPU metrics, for the GPU-hours in the budget watch's spend (tokens only without them). */
  metrics: MetricsBackend | undefined;
  /** The policy's cost section (prices, teams, budgets). */
  cost: CostPolicy;
  store: Store;
  targets: readonly ChannelTarget[];
  clock: Clock;
  logger: Logger;
  registry: Registry | undefined;
  onQueued: () => void;
  /** The detectors to run; default: those the policy leaves on. */
  detectors?: readonly ConfiguredDetector[];
}

/** The detectors module, with its scheduler for tests and benchmarks that wait for a run. */
export interface DetectorsModule extends BotModule {
  scheduler: DetectorScheduler;
}

/**
 * The bot's own watchers as a module: on every tick, the detectors that are due run in the
 * background (never holding up the tick) and what they find goes through the alert pipeline like
 * any received alert.
 */
export function createDetectorsModule(options: DetectorsModuleOptions): DetectorsModule {
  const detectors = options.detectors ?? configuredDetectors(options.policy);
  checkDetectors(
    detectors.map((d) => d.detector),
    options.logs.catalog,
  );
  const { store, clock, targets } = options;
  const scheduler = new DetectorScheduler({
    detectors,
    logs: options.logs,
    gpuMetrics: options.metrics,
    cost: options.cost,
    ingest: (alerts) => ingestAlerts({ store, policy: options.alertPolicy, targets, clock }, alerts),
    store,
    clock,
    logger: options.logger,
    metrics: options.registry && createDetectorMetrics(options.registry),
    startedAt: clock.now(),
    firstRunAfterMs: options.policy.firstRunAfter,
    clearAfterRuns: options.policy.clearAfterRuns,
    onQueued: options.onQueued,
  });
  return {
    id: 'detectors',
    scheduler,
    async tick() {
      scheduler.tick();
    },
    close: () => scheduler.close(),
  };
}
