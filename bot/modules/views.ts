import { DefaultAzureCredential } from '@azure/identity';
import { createViewsModule } from '../../handlers/views/views-module.ts';
import { createComputeUsagesApi } from '../../queries/azure-quota/compute-usages.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import { createKubeClients } from '../../remediation/executors/kubernetes.ts';
import type { Config } from '../config.ts';
import { simulatedQuota } from '../local-mode.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';
import { rateLimited } from './rate-limited.ts';

type Needs = Pick<ModuleParts, 'store' | 'clock' | 'logger' | 'backends' | 'targets' | 'queued' | 'platform'>;

/** The simulated platform's regions: where its GPU nodes and its inference quota are. */
const SIMULATED_REGIONS = ['eastus2', 'swedencentral'];

/**
 * The capacity view's sources: the simulated quota in local mode; else Compute usages of the
 * subscription (AZURE_SUBSCRIPTION_ID) for the policy's regions, with the environment's Azure
 * identity; the cluster remediation acts on for HPAs, nodes and AKS node pools.
 */
function capacitySources(config: Config, needs: Needs) {
  const targets = needs.backends.remediationTargets;
  const regions = config.policy.views.capacity.regions;
  const { azureSubscriptionId, armEndpoint } = config.remediationTargets;
  const platform = needs.platform;
  const usages = platform
    ? simulatedQuota(platform)
    : azureSubscriptionId && regions.length > 0
      ? createComputeUsagesApi({
          subscriptionId: azureSubscriptionId,
          endpoint: armEndpoint ?? 'https://management.azure.com',
          credential: new DefaultAzureCredential(),
        })
      : undefined;
  return {
    usages,
    regions: platform && regions.length === 0 ? SIMULATED_REGIONS : regions,
    kube: targets && createKubeClients(targets.kubeConfig),
    nodePools: targets?.nodePools,
  };
}

interface ViewsSettings {
  logs: LogsBackend;
  config: Config;
}

/**
 * The dashboards in chat (`/cost`, `/status` …), charged to the `kql` rate limit like the vetted
 * queries they run; on when there is a logs backend (simulated telemetry in local mode, else Log
 * Analytics). GPU figures need the metrics backend and are left out without one.
 */
export const viewsPlugin: ModulePlugin<Needs, ViewsSettings> = {
  id: 'views',
  fromConfig: (config, { backends }) => backends.logs && { logs: backends.logs, config },
  async setUp({ logs, config }, needs) {
    const digest = config.policy.views.digest.channel
      ? {
          // The store's: shared by the replicas on PostgreSQL (one digest per slot).
          claims: needs.store.slotClaims,
          targets: needs.targets,
          timeZone: config.policy.timeZone,
          onQueued: needs.queued,
        }
      : undefined;
    const module = createViewsModule({
      logs,
      metrics: needs.backends.metrics,
      store: needs.store,
      clock: needs.clock,
      logger: needs.logger,
      cost: config.policy.cost,
      views: config.policy.views,
      pricedDeployments: Object.keys(config.policy.pricing),
      retentionMs: config.policy.retention,
      capacity: capacitySources(config, needs),
      charts: needs.backends.charts,
      publicUrl: config.publicUrl,
      ...(digest ? { digest } : {}),
    });
    return { module: rateLimited(module, 'kql', needs.backends.limiter), provides: {} };
  },
};
