import type { FastifyInstance } from 'fastify';
import { ChartCache } from '../../cards/charts/chart-cache.ts';
import { type ChartRenderer, inlineChartRenderer } from '../../cards/charts/chart-renderer.ts';
import type { ChartRequest } from '../../cards/charts/chart-token.ts';
import { RenderQueue } from '../../cards/charts/render-queue.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import { DEFAULT_GPU_POLICY, type GpuThresholdPolicy } from '../../queries/gpu/thresholds.ts';
import type { GpuNodeInventory } from '../../remediation/executors/gpu-nodes.ts';
import type { NodeScheduling } from '../../remediation/executors/node-scheduling.ts';
import type { CommandHandler } from '../commands/command.ts';
import type { BotModule } from '../module.ts';
import { gpuAlertChart } from './alert-chart.ts';
import { xidCardSections } from './alert-xids.ts';
import { createChartLinks } from './chart-links.ts';
import { type ChartPolicy, chartCacheBytes, defaultChartPolicy } from './chart-policy.ts';
import { registerChartRoutes } from './chart-routes.ts';
import { createGpuCommand } from './gpu-command.ts';
import { type KnownNodes, knownNodesFromBackend } from './known-nodes.ts';
import { renderGpuChart } from './render-gpu-chart.ts';

export interface GpuModuleOptions {
  backend: MetricsBackend;
  /** HMAC key of chart URLs (CHART_URL_SECRET); replicas must share it. */
  chartSecret: string;
  /** PUBLIC_URL; without it chart links use the bot's own listening address. */
  publicUrl: string | undefined;
  clock: Clock;
  timeZone: string;
  gpuPolicy?: GpuThresholdPolicy;
  /** The nodes `/gpu` knows; by default those reporting DCGM metrics to the backend. */
  knownNodes?: KnownNodes;
  /** The cluster remediations act on: `/gpu <node>` shows its cordon state and offers (un)cordon. */
  scheduling?: NodeScheduling | undefined;
  /** GPU nodes and capacity from that cluster: `/gpu coverage` and missing GPUs on `/gpu <node>`. */
  gpuNodes?: GpuNodeInventory | undefined;
  /** Renders chart PNGs (worker threads in the bot); on the calling thread by default. */
  charts?: ChartRenderer;
  /** Bounds of chart rendering and the PNG cache (the policy file's `charts`); defaults when absent. */
  chartPolicy?: ChartPolicy;
}

/** A chart of a window that is still open changes as samples arrive; an old window does not. */
function cacheTtlMs(request: ChartRequest, now: number): number {
  return request.end > now - 2 * 60_000 ? 30_000 : 3_600_000;
}

function ownUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') {
    throw new AppError('NO_PUBLIC_URL', 'the bot is not listening yet; set PUBLIC_URL for chart links');
  }
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/**
 * GPU telemetry as a bot module: `/gpu`, signed chart links served at `/charts/<token>.png`, the
 * GPU chart on GPU and network alert cards.
 */
/** The GPU module, and its `/gpu` command for the ask module to answer GPU questions with. */
export interface GpuModule extends BotModule {
  gpuCommand: CommandHandler;
}

export function createGpuModule(options: GpuModuleOptions): GpuModule {
  const gpuPolicy = options.gpuPolicy ?? DEFAULT_GPU_POLICY;
  const renderer = options.charts ?? inlineChartRenderer;
  const bounds = options.chartPolicy ?? defaultChartPolicy();
  const queue = new RenderQueue({
    concurrency: bounds.concurrency,
    maxWaiting: bounds.maxWaiting,
    maxWaitMs: bounds.maxWait,
    cache: new ChartCache(options.clock, {
      maxEntries: bounds.cache.entries,
      maxBytes: chartCacheBytes(bounds),
    }),
    clock: options.clock,
  });
  let server: FastifyInstance | undefined;
  const links = createChartLinks({
    secret: options.chartSecret,
    baseUrl: () => {
      if (options.publicUrl) return options.publicUrl;
      if (!server) throw new AppError('NO_PUBLIC_URL', 'chart links need PUBLIC_URL or a listening server');
      return ownUrl(server);
    },
  });
  const knownNodes = options.knownNodes ?? knownNodesFromBackend(options.backend);
  const gpuCommand = createGpuCommand({
    backend: options.backend,
    links,
    knownNodes,
    gpuPolicy,
    scheduling: options.scheduling,
    gpuNodes: options.gpuNodes,
  });
  return {
    id: 'gpu',
    commands: [gpuCommand],
    gpuCommand,
    enrichIncidentCard: (incident, alerts, now) => {
      const chart = gpuAlertChart(links, options.timeZone, incident, alerts, now)?.sections ?? [];
      return { sections: [...xidCardSections(incident, alerts, options.timeZone, now), ...chart] };
    },
    registerRoutes(app) {
      server = app;
      registerChartRoutes(app, {
        secret: options.chartSecret,
        clock: options.clock,
        // Keyed by the verified request: the signed spec, so one link is one cache entry.
        render: (request) => {
          const now = options.clock.now();
          return queue.render(JSON.stringify(request), cacheTtlMs(request, now), () =>
            renderGpuChart(request, {
              backend: options.backend,
              policy: gpuPolicy,
              timeZone: options.timeZone,
              now: options.clock.now(),
              renderer,
            }),
          );
        },
      });
    },
  };
}
