import type { Clock } from '../core/clock.ts';
import type { BotModule } from '../handlers/module.ts';
import type { InventoryInput } from '../handlers/questions/inventory.ts';
import type { ComputeUsagesApi } from '../queries/azure-quota/compute-usages.ts';
import { ExecutorError } from '../remediation/errors.ts';
import type { BackendPoolApi } from '../remediation/executors/apim-backends.ts';
import type { ApimPolicy } from '../remediation/policy.ts';
import { SIM_APIM, SimulatedApimError } from '../sim/azure/apim-backend-pool.ts';
import { simulatedComputeUsages } from '../sim/compute-usages.ts';
import { createDcgmMetricsHandler } from '../sim/dcgm/http-handler.ts';
import type { LocalPlatform } from '../sim/local-platform.ts';
import { DEPLOYMENTS, ROLES } from '../sim/telemetry/profile.ts';
import { createSimulatedAzureMetrics } from '../sim/telemetry/simulated-azure-metrics.ts';
import { createThreadedSimulatedLogsBackend } from '../sim/telemetry/threaded-logs.ts';

/*
 * Local mode's wiring: the only production file that imports sim/. Everything the simulated AI
 * platform lends the bot (its Kubernetes API and GPU fleet, its telemetry, the names in it, the
 * scripted alerts) reaches the composition root through here, so production code cannot come to
 * lean on the simulator unnoticed (the layer check in `npm test` enforces it).
 */

/** The scripted incidents of the demo, sent to the bot's own webhooks. */
export { startAlertSimulator } from '../sim/alert-simulator.ts';
/** The simulated platform: Kubernetes API, GPU fleet and its metrics. */
export { type LocalPlatform, startLocalPlatform } from '../sim/local-platform.ts';

/**
 * The simulated Log Analytics workspace: the local KQL engine over the telemetry, in a worker, its
 * episodes placed at `startMs`: the platform's scenario start, which the alert simulator shares.
 */
export const startSimulatedLogs = (clock: Clock, startMs = clock.now()) =>
  createThreadedSimulatedLogsBackend(clock, { startMs });

/**
 * The simulated resource's Azure Monitor metrics, from the same requests as the simulated logs
 * (started at `startMs`, the logs' scenario start), so `/aoai` and `/kql` tell one story.
 */
export const simulatedAzureMetrics = (clock: Clock, startMs: number) =>
  createSimulatedAzureMetrics({ clock, startMs });

/** The names in the simulated world, which questions may resolve fuzzy words to. */
export function simulatedInventory(platform: LocalPlatform): InventoryInput {
  return {
    deployments: DEPLOYMENTS.map((d) => d.name),
    appRoles: ROLES.map((r) => r.name),
    teams: [...new Set(ROLES.map((r) => r.team))],
    nodes: platform.dcgm.nodes.map((n) => n.name),
  };
}

/** The simulated gateway's backend pool, as remediation.apim would name it in a policy. */
export const LOCAL_APIM_POLICY: ApimPolicy = {
  resourceGroup: SIM_APIM.resourceGroup,
  service: SIM_APIM.service,
  pools: { [SIM_APIM.pool]: { primary: SIM_APIM.primary } },
};

/**
 * The simulated API Management backend pool behind the bot's port: its refusals become the
 * executor errors Resource Manager's would (a 412 voids the approval and plans again).
 */
export function simulatedBackendPools(sim: LocalPlatform['backendPools']): BackendPoolApi {
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof SimulatedApimError)
        throw new ExecutorError(`ARM_${err.status}`, `${what}: ${err.message}`, err.status, { cause: err });
      throw err;
    }
  };
  return {
    service: sim.service,
    get: (pool) => call(`read backend pool ${pool}`, () => sim.get(pool)),
    etag: (pool) => call(`read the ETag of backend pool ${pool}`, () => sim.etag(pool)),
    backendUrl: (backend) => sim.backendUrl(backend),
    update: (pool, services, ifMatch) =>
      call(`update backend pool ${pool}`, () => sim.update(pool, services, ifMatch)),
  };
}

/** The simulated subscription's Compute quota, consistent with the platform's GPU nodes. */
export function simulatedQuota(platform: LocalPlatform): ComputeUsagesApi {
  return simulatedComputeUsages(() => platform.dcgm.nodes.length);
}

/** The simulated fleet's node names: what `/gpu` knows in local mode. */
export function simulatedNodes(platform: LocalPlatform): () => Promise<string[]> {
  return async () => platform.dcgm.nodes.map((n) => n.name);
}

/** Where local mode serves the simulated DCGM exporter, for a real Prometheus to scrape. */
export const SIM_DCGM_METRICS_PATH = '/sim/dcgm/metrics';

/** Serves the simulated fleet's DCGM exporter at {@link SIM_DCGM_METRICS_PATH}. */
export function simulatedExporterModule(platform: LocalPlatform): BotModule {
  const serve = createDcgmMetricsHandler(platform.dcgm, SIM_DCGM_METRICS_PATH);
  return {
    id: 'sim-dcgm-exporter',
    registerRoutes(app) {
      app.get(SIM_DCGM_METRICS_PATH, (req, reply) => {
        reply.hijack();
        serve(req.raw, reply.raw);
      });
    },
  };
}
