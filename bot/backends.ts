import { DefaultAzureCredential } from '@azure/identity';
import type { KubeConfig } from '@kubernetes/client-node';
import { type ChartRenderer, createWorkerChartRenderer } from '../cards/charts/chart-renderer.ts';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { withQueryPolicy } from '../handlers/queries/query-policy.ts';
import type { InventoryInput } from '../handlers/questions/inventory.ts';
import { WorkLimiter } from '../handlers/rate-limit/work-limiter.ts';
import { METRIC_CATALOG } from '../queries/azure-metrics/catalog.ts';
import { createAzureLogsBackend } from '../queries/backends/azure-logs.ts';
import {
  type AzureMetricsBackend,
  type AzureMetricsSource,
  createAzureMetricsBackend,
} from '../queries/backends/azure-metrics-backend.ts';
import { createAzureMonitorMetricsSource } from '../queries/backends/azure-monitor-metrics.ts';
import { withCoalescedRuns } from '../queries/backends/coalesced-logs.ts';
import { withQueryMetrics } from '../queries/backends/instrumented-logs.ts';
import type { LogsBackend } from '../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../queries/backends/metrics-backend.ts';
import { createPrometheusBackend } from '../queries/backends/prometheus.ts';
import { KQL_CATALOG } from '../queries/catalog.ts';
import type { BackendPoolApi } from '../remediation/executors/apim-backends.ts';
import type { AgentPoolApi } from '../remediation/executors/azure.ts';
import type { ScaleSetVmApi } from '../remediation/executors/scale-set-vms.ts';
import type { Config } from './config.ts';
import {
  type LocalPlatform,
  simulatedAzureMetrics,
  simulatedBackendPools,
  simulatedInventory,
  simulatedNodes,
  startSimulatedLogs,
} from './local-mode.ts';
import type { BotMetrics } from './metrics.ts';
import { connectRemediationTargets } from './remediation-targets.ts';

/** The cluster remediations act on, and the AKS node pools when the policy names a cluster. */
export interface RemediationTargets {
  kubeConfig: KubeConfig;
  nodePools: AgentPoolApi | undefined;
  /** The scale set instances behind the nodes (reboot-node), when Azure is configured. */
  nodeVms?: ScaleSetVmApi | undefined;
  /** The AI gateway's API Management backend pools (shift-backend-pool), when the policy names them. */
  backendPools?: BackendPoolApi | undefined;
}

/**
 * What several modules share, built once from the config before any module: the telemetry
 * backends (simulated in local mode), the chart workers, the rate limiter of costly work, the
 * cluster remediations act on and the names questions may resolve to. Not modules themselves:
 * they have no commands or cards, and close after every module.
 */
export interface Backends {
  /** Vetted KQL: simulated telemetry in local mode, else Log Analytics; every run through the query policy. */
  logs: LogsBackend | undefined;
  /** Azure Monitor platform metrics of the Azure OpenAI resources: simulated in local mode, else when configured. */
  azureMetrics: AzureMetricsBackend | undefined;
  /** GPU metrics: the simulated fleet in local mode, else Prometheus. */
  metrics: MetricsBackend | undefined;
  /** Chart PNGs (ECharts + resvg) in a worker thread, shared by /gpu and /kql charts. */
  charts: ChartRenderer;
  /** One limiter for every costly command and for questions. */
  limiter: WorkLimiter;
  /** Local mode acts on the simulated cluster; production only when the policy has a remediation section. */
  remediationTargets: RemediationTargets | undefined;
  /**
   * Names known before any discovery: the simulator's in local mode, none in production (the
   * inventory module discovers the names from the backends on every platform).
   */
  inventory: InventoryInput;
  /** The nodes `/gpu` knows, in local mode; by default those reporting DCGM metrics. */
  knownNodes: (() => Promise<string[]>) | undefined;
  /**
   * Resolves once the query workers have set themselves up: in local mode each builds its week of
   * simulated telemetry first (seconds of CPU), so queries before then wait in the queue.
   */
  warmed: Promise<void>;
  /** Ends the worker threads; after every module closed (their work in flight uses them). */
  close(): Promise<void>;
}

/** Builds the shared backends; CPU-heavy work runs in worker threads so intake and health keep answering. */
export function createBackends(
  config: Config,
  parts: { clock: Clock; platform: LocalPlatform | undefined; metrics?: BotMetrics },
): Backends {
  const { clock, platform } = parts;
  const charts = createWorkerChartRenderer(config.policy.charts.threads);
  const simulatedLogs = platform ? startSimulatedLogs(clock, platform.startedAt) : undefined;
  const rawLogs: LogsBackend | undefined =
    simulatedLogs ??
    (config.logAnalytics && createAzureLogsBackend({ ...config.logAnalytics, catalog: KQL_CATALOG }));
  // Incidents opened together about the same deployment share one run of each evidence query.
  const shared = rawLogs && withCoalescedRuns(rawLogs);
  const timed = shared && parts.metrics ? withQueryMetrics(shared, parts.metrics.queryDuration) : shared;
  const metrics: MetricsBackend | undefined =
    platform?.metrics ??
    (config.prometheus &&
      createPrometheusBackend({
        baseUrl: config.prometheus.url,
        getToken: prometheusToken(config.prometheus),
        clock,
      }));
  const metricsSource: AzureMetricsSource | undefined = simulatedLogs
    ? simulatedAzureMetrics(clock, simulatedLogs.startMs)
    : config.azureMetrics && createAzureMonitorMetricsSource(config.azureMetrics);
  return {
    logs: timed && withQueryPolicy(timed, config.policy, () => clock.now()),
    azureMetrics:
      metricsSource && createAzureMetricsBackend(metricsSource, METRIC_CATALOG, () => clock.now()),
    metrics,
    charts,
    limiter: new WorkLimiter(config.policy.rateLimits, () => clock.now()),
    remediationTargets: platform
      ? {
          kubeConfig: platform.kubeConfig,
          nodePools: undefined,
          nodeVms: platform.nodeVms,
          backendPools: simulatedBackendPools(platform.backendPools),
        }
      : config.policy.remediation !== undefined
        ? connectRemediationTargets(config.remediationTargets, config.policy.remediation)
        : undefined,
    inventory: platform ? simulatedInventory(platform) : {},
    knownNodes: platform && simulatedNodes(platform),
    warmed: simulatedLogs ? simulatedLogs.ready() : Promise.resolve(),
    async close() {
      await charts.close();
      await simulatedLogs?.close();
    },
  };
}

const AZURE_PROMETHEUS_SCOPE = 'https://prometheus.monitor.azure.com/.default';

/**
 * The bearer token for Prometheus: a configured static token, or for Azure Managed Prometheus
 * (`*.prometheus.monitor.azure.com`) a token from the Azure identity the bot runs as
 * (`DefaultAzureCredential`: workload identity, managed identity, az login …).
 */
function prometheusToken(prometheus: { url: string; bearerToken: string | undefined }) {
  if (prometheus.bearerToken) return async () => prometheus.bearerToken!;
  if (!new URL(prometheus.url).hostname.endsWith('.prometheus.monitor.azure.com')) return undefined;
  const credential = new DefaultAzureCredential();
  return async () => {
    const token = await credential.getToken(AZURE_PROMETHEUS_SCOPE);
    if (!token) throw new AppError('AZURE_TOKEN_UNAVAILABLE', 'no Azure token for Managed Prometheus');
    return token.token;
  };
}
