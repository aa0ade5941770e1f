import { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../core/clock.ts';
import { createLocalMetricsBackend, LocalSampleStore } from '../queries/backends/local-metrics.ts';
import type { MetricsBackend } from '../queries/backends/metrics-backend.ts';
import { simulatedApimBackendPools } from './azure/apim-backend-pool.ts';
import { createDcgmCluster, type DcgmCluster } from './dcgm/cluster.ts';
import { backfillInto, scrapeInto, startScrapeLoop } from './dcgm/feed-store.ts';
import { syncPodsFromKube } from './dcgm/kube-pods.ts';
import { kubeconfigFor, seedAiPlatform, startKubeApi } from './kube/index.ts';
import { simulatedNodeVms } from './kube/node-vms.ts';
import { SIM_NODE_VMS } from './kube/seed.ts';

const HOUR = 3_600_000;
const SCRAPE_MS = 15_000;

/** The simulated AI platform of local mode: a Kubernetes API, a GPU fleet and its metrics. */
export interface LocalPlatform {
  kubeConfig: KubeConfig;
  dcgm: DcgmCluster;
  metrics: MetricsBackend;
  /** The VM scale set instances behind the nodes: reboot-node restarts them (the DCGM episodes of the node end). */
  nodeVms: ReturnType<typeof simulatedNodeVms>;
  /** The AI gateway's API Management backend pool (shift-backend-pool), with ETags. */
  backendPools: ReturnType<typeof simulatedApimBackendPools>;
  /**
   * The scenario start, on the bot's clock: the simulated telemetry places its episodes and the
   * alert simulator its alerts relative to this one instant, so both tell the same story.
   */
  startedAt: number;
  /** Scrapes the fleet now (tests, and commands that want the latest state at once). */
  scrapeNow(): void;
  close(): Promise<void>;
}

/**
 * Starts the platform the bot watches and acts on in local mode: the simulated Kubernetes API
 * (seeded with the AI platform's deployments, HPAs, ConfigMaps and GPU nodes) and the DCGM
 * exporter's cluster, scraped into a local sample store with an hour of history.
 */
export async function startLocalPlatform(clock: Clock): Promise<LocalPlatform> {
  const startedAt = clock.now();
  const kube = await startKubeApi({ seed: seedAiPlatform, autoTickMs: 1_000 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigFor(kube.url));
  const dcgm = createDcgmCluster(clock);
  const samples = new LocalSampleStore();
  backfillInto(samples, dcgm, clock.now() - HOUR, clock.now(), SCRAPE_MS);
  const stopScraping = startScrapeLoop(samples, dcgm, clock, SCRAPE_MS);
  // One world: the exporter's pods are the API's pods, through drains, evictions and rollouts.
  const followPods = setInterval(() => syncPodsFromKube(dcgm, kube.state), 1_000);
  followPods.unref();
  return {
    kubeConfig,
    dcgm,
    startedAt,
    metrics: createLocalMetricsBackend(samples, clock),
    nodeVms: simulatedNodeVms(kube.state, SIM_NODE_VMS.subscriptionId, {
      onRestart: (node) => dcgm.recover(node),
    }),
    backendPools: simulatedApimBackendPools(),
    scrapeNow: () => {
      syncPodsFromKube(dcgm, kube.state);
      scrapeInto(samples, dcgm, clock.now());
    },
    async close() {
      stopScraping();
      clearInterval(followPods);
      await kube.close();
    },
  };
}
