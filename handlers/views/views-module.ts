import type { ChartRenderer } from '../../cards/charts/chart-renderer.ts';
import { capacityCard } from '../../cards/templates/capacity-card.ts';
import { statusCard } from '../../cards/templates/status-card.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { ChannelTarget } from '../../core/outbox/enqueue.ts';
import type { Store } from '../../core/store.ts';
import type { ComputeUsagesApi } from '../../queries/azure-quota/compute-usages.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import type { CostPolicy } from '../../queries/cost/cost-policy.ts';
import type { AgentPoolApi } from '../../remediation/executors/azure.ts';
import type { KubeClients } from '../../remediation/executors/kubernetes.ts';
import type { SlotClaims } from '../../store/schedule/slot-claims.ts';
import type { BotModule } from '../module.ts';
import { createCapacityCommand } from './capacity-command.ts';
import { gatherCapacityView } from './capacity-view.ts';
import { createCostCommand } from './cost-command.ts';
import { createEngCommand } from './eng-command.ts';
import { gatherExecutiveView } from './executive-view.ts';
import { createStatusCommand } from './status-command.ts';
import { createViewCharts } from './view-charts.ts';
import { postDueDigest } from './view-digest.ts';
import type { ViewsPolicy } from './views-policy.ts';

export interface ViewsModuleOptions {
  logs: LogsBackend;
  metrics: MetricsBackend | undefined;
  store: Store;
  clock: Clock;
  logger: Logger;
  cost: CostPolicy;
  views: ViewsPolicy;
  /** Deployments of the price table (`pricing`): how `/cost <name>` tells a deployment from a team. */
  pricedDeployments: readonly string[];
  retentionMs: number;
  /** The capacity view's sources: Compute quota per region, the Kubernetes API, AKS node pools. */
  capacity: {
    usages: ComputeUsagesApi | undefined;
    regions: readonly string[];
    kube: KubeClients | undefined;
    nodePools: AgentPoolApi | undefined;
  };
  charts: ChartRenderer;
  publicUrl: string | undefined;
  /** The scheduled digest: where its cards go and who may post which slot (off without a channel). */
  digest?: { claims: SlotClaims; targets: readonly ChannelTarget[]; timeZone: string; onQueued: () => void };
}

/**
 * The operations guide's dashboards in chat: `/status` (the executive view, also posted to the
 * policy's digest channel every `views.digest.every`), `/eng`, `/capacity` (posted there every
 * `views.digest.capacityEvery`) and `/cost` (spend by team, deployment and
 * model), over the vetted queries and the bot's own incident records. Each answer is a Message
 * card like every other.
 */
export function createViewsModule(options: ViewsModuleOptions): BotModule {
  const timed = (view: string) => (ms: number) =>
    options.logger.info({ view, queryMs: Math.round(ms), code: 'VIEW_QUERIED' }, 'view queried');
  const charts = createViewCharts({
    renderer: options.charts,
    clock: options.clock,
    logger: options.logger,
    publicUrl: options.publicUrl,
  });
  const executive = {
    logs: options.logs,
    metrics: options.metrics,
    store: options.store,
    cost: options.cost,
    slaTarget: options.views.slaTarget,
    charts,
  };
  const capacity = {
    logs: options.logs,
    metrics: options.metrics,
    cost: options.cost,
    ...options.capacity,
    retentionMs: options.retentionMs,
    charts,
  };
  const { digest } = options;
  const channel = options.views.digest.channel;
  return {
    id: 'views',
    registerRoutes: (app) => charts.registerRoutes(app),
    ...(digest && channel
      ? {
          async tick() {
            const deps = {
              ...digest,
              store: options.store,
              channel,
              clock: options.clock,
              logger: options.logger,
            };
            await postDueDigest(deps, {
              slot: 'executive-digest',
              everyMs: options.views.digest.every,
              code: 'EXECUTIVE_DIGEST',
              card: async (now) => statusCard(await gatherExecutiveView(executive, now, digest.timeZone)),
            });
            await postDueDigest(deps, {
              slot: 'capacity-digest',
              everyMs: options.views.digest.capacityEvery,
              code: 'CAPACITY_DIGEST',
              card: async (now) => capacityCard(await gatherCapacityView(capacity, now, digest.timeZone)),
            });
          },
          close: () => digest.claims.close(),
        }
      : {}),
    commands: [
      createStatusCommand(executive, timed('status')),
      createEngCommand(
        { logs: options.logs, metrics: options.metrics, latencySloMs: options.views.latencySloMs, charts },
        timed('eng'),
      ),
      createCapacityCommand(capacity, timed('capacity')),
      createCostCommand({
        logs: options.logs,
        metrics: options.metrics,
        cost: options.cost,
        pricedDeployments: options.pricedDeployments,
        retentionMs: options.retentionMs,
        onTimed: timed('cost'),
      }),
    ],
  };
}
