import type { IntakeSource } from '../../core/alerts/alert.ts';
import type { DcgmCluster } from '../dcgm/cluster.ts';
import { defaultPodOnGpu } from '../dcgm/placement.ts';
import { latencyPercentileMs, throttledRequests } from '../telemetry/episode-readings.ts';
import { LATENCY_EPISODE, QUOTA_EPISODE, quotaUsedPct, THROTTLE_EPISODE } from '../telemetry/profile.ts';
import {
  type AmAlert,
  alertmanagerGroup,
  azureLogAlert,
  azureMetricAlert,
  grafanaNotification,
} from './payloads.ts';

/** The simulated platform a scenario acts on before it alerts (local mode). */
export interface ScenarioPlatform {
  dcgm: DcgmCluster;
  /** Records the changed metrics at once instead of at the next scrape. */
  scrapeNow?(): void;
}

/** One webhook call of a scenario, `atMs` after the scenario starts. */
export interface ScenarioStep {
  atMs: number;
  source: IntakeSource;
  what: string;
  body: unknown;
  /** What happens on the simulated platform that makes this alert true (metrics, GPUs). */
  effect?: (platform: ScenarioPlatform) => void;
}

const s = 1000;

/**
 * The local-mode story, told through the real webhook endpoints within a minute: node-7 runs hot
 * (P2), gpt-4o is throttled (P2), node-3 loses a GPU to an uncorrectable ECC error (P1), latency
 * regresses after a model version change (P2), a quota nears its limit (P3); then a second GPU
 * joins the hot node's card, Alertmanager re-sends a group unchanged, things resolve, and the hot
 * node flaps once.
 */
export function aiPlatformIncidents(startMs: number, episode = 1): ScenarioStep[] {
  const at = (offset: number) => new Date(startMs + offset).toISOString();
  const guid = (n: number) =>
    `0c1d2e3f-4a5b-4c6d-8e7f-${String(episode).padStart(4, '0')}${String(n).padStart(8, '0')}`;

  // The hot GPUs' pods, as the exporter maps them: from the placement table the DCGM series and
  // the simulated Kubernetes API are built from.
  const gpuTemp = (gpu: string, status: AmAlert['status'], startsAt: string, endsAt?: string): AmAlert => {
    const { namespace, pod, container } = defaultPodOnGpu('node-7', Number(gpu));
    return {
      status,
      startsAt,
      endsAt,
      labels: {
        alertname: 'GpuTemperatureHigh',
        severity: 'warning',
        cluster: 'aks-gpu-01',
        Hostname: 'node-7',
        gpu,
        namespace,
        pod,
        container,
      },
      annotations: {
        summary: `GPU ${gpu} on node-7 above 83 °C`,
        description:
          'DCGM_FI_DEV_GPU_TEMP has been above 83 °C for 5 minutes; clocks are thermally throttled.',
        runbook_url: 'https://runbooks.sim.local/gpu-temperature',
      },
    };
  };
  const nodeGroup = { alertname: 'GpuTemperatureHigh', Hostname: 'node-7' };

  // The pod the exporter maps to node-3 GPU 5, from the same placement table as the DCGM series.
  const eccPod = defaultPodOnGpu('node-3', 5);
  const ecc = (status: AmAlert['status']): AmAlert[] => [
    {
      status,
      startsAt: at(6 * s),
      labels: {
        alertname: 'GpuEccUncorrectable',
        severity: 'critical',
        cluster: 'aks-gpu-01',
        Hostname: 'node-3',
        gpu: '5',
        namespace: eccPod.namespace,
        pod: eccPod.pod,
      },
      annotations: {
        summary: 'Uncorrectable ECC error on node-3 GPU 5: replace the GPU',
        description: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL rose to 2; XID 48 (Double Bit ECC Error) was reported.',
        runbook_url: 'https://runbooks.sim.local/gpu-ecc',
      },
    },
  ];

  // The 429 count and the new model version's P95 are read from the simulated telemetry at the
  // instant each alert fires, as Azure Monitor and Grafana evaluate their rules, so each alert's
  // value is what its evidence query returns over the same window.
  const throttleAt = 4 * s;
  const throttled = throttledRequests(startMs, startMs + throttleAt);
  const throttle = (condition: 'Fired' | 'Resolved') =>
    azureMetricAlert({
      rule: `aoai-${THROTTLE_EPISODE.deployment}-429-count`,
      alertGuid: guid(2),
      severity: 'Sev2',
      condition,
      firedAt: at(throttleAt),
      resolvedAt: condition === 'Resolved' ? at(THROTTLE_EPISODE.until) : undefined,
      account: 'aoai-prod-eastus2',
      metricName: 'AzureOpenAIRequests',
      dimensions: [
        { name: 'StatusCode', value: '429' },
        { name: 'ModelDeploymentName', value: THROTTLE_EPISODE.deployment },
      ],
      threshold: THROTTLE_EPISODE.thresholdRequests,
      value: throttled,
      windowMs: THROTTLE_EPISODE.windowMs,
      description: `More than ${THROTTLE_EPISODE.thresholdRequests} ${THROTTLE_EPISODE.deployment} requests throttled (HTTP 429) in ${THROTTLE_EPISODE.windowMs / 60_000} minutes.`,
    });

  const latencyAt = 8 * s;
  const latencyMs = latencyPercentileMs(startMs, startMs + latencyAt);
  const p = `P${LATENCY_EPISODE.percentile}`;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

  return [
    {
      atMs: 2 * s,
      source: 'alertmanager',
      what: 'node-7 GPU 3 runs hot',
      effect: ({ dcgm }) => dcgm.heatUp('node-7', { gpus: [3], rampMs: 60_000 }),
      body: alertmanagerGroup(nodeGroup, [gpuTemp('3', 'firing', at(2 * s))]),
    },
    { atMs: throttleAt, source: 'azure-monitor', what: 'gpt-4o throttled', body: throttle('Fired') },
    {
      atMs: 6 * s,
      source: 'alertmanager',
      what: 'node-3 ECC error',
      effect: ({ dcgm }) => {
        dcgm.eccError('node-3', 5);
        dcgm.eccError('node-3', 5);
      },
      body: alertmanagerGroup({ alertname: 'GpuEccUncorrectable' }, ecc('firing')),
    },
    {
      atMs: latencyAt,
      source: 'grafana',
      what: 'latency regression after model version change',
      body: grafanaNotification({
        status: 'firing',
        startsAt: at(latencyAt),
        labels: {
          alertname: `LLM ${p} latency over SLO`,
          severity: 'warning',
          deployment: LATENCY_EPISODE.deployment,
          model: LATENCY_EPISODE.deployment,
          model_version: LATENCY_EPISODE.toVersion,
        },
        annotations: {
          summary: `${LATENCY_EPISODE.deployment} ${p} latency ${seconds(latencyMs)} over the ${seconds(LATENCY_EPISODE.sloMs)} SLO since model version ${LATENCY_EPISODE.toVersion}`,
          description: `${p} latency of ${LATENCY_EPISODE.deployment} model version ${LATENCY_EPISODE.toVersion} has exceeded the SLO since its rollout.`,
          runbook_url: 'https://runbooks.sim.local/latency-slo',
        },
        // B: the rule's reduced value (its query's P95, in ms, as the query returns it); C: the threshold check.
        values: { B: latencyMs, C: 1 },
      }),
    },
    {
      atMs: 10 * s,
      source: 'azure-monitor',
      what: 'TPM quota above 80%',
      body: azureLogAlert({
        rule: `aoai-tpm-quota-${QUOTA_EPISODE.thresholdPct}pct`,
        alertGuid: guid(5),
        severity: 'Sev3',
        condition: 'Fired',
        firedAt: at(10 * s),
        query: `AppRequests | where tostring(Properties["deployment"]) == "${QUOTA_EPISODE.deployment}" | summarize TpmUsedPct = 100.0 * sum(tolong(Properties["tokens.total"]) * ItemCount) / ${QUOTA_EPISODE.quotaTpm} by bin(TimeGenerated, 1m)`,
        dimensions: [{ name: 'ModelDeploymentName', value: QUOTA_EPISODE.deployment }],
        threshold: QUOTA_EPISODE.thresholdPct,
        value: quotaUsedPct(),
        description: `${QUOTA_EPISODE.deployment} is using more than ${QUOTA_EPISODE.thresholdPct}% of its tokens-per-minute quota.`,
      }),
    },
    {
      atMs: 13 * s,
      source: 'alertmanager',
      what: 'a second GPU on node-7 runs hot',
      effect: ({ dcgm }) => dcgm.heatUp('node-7', { gpus: [3, 4], rampMs: 30_000 }),
      body: alertmanagerGroup(nodeGroup, [
        gpuTemp('3', 'firing', at(2 * s)),
        gpuTemp('4', 'firing', at(13 * s)),
      ]),
    },
    {
      atMs: 16 * s,
      source: 'alertmanager',
      what: 'Alertmanager re-sends the node-7 group unchanged',
      body: alertmanagerGroup(nodeGroup, [
        gpuTemp('3', 'firing', at(2 * s)),
        gpuTemp('4', 'firing', at(13 * s)),
      ]),
    },
    {
      atMs: THROTTLE_EPISODE.until,
      source: 'azure-monitor',
      what: 'gpt-4o throttling resolved',
      body: throttle('Resolved'),
    },
    {
      atMs: 24 * s,
      source: 'alertmanager',
      what: 'node-7 cooled down',
      effect: ({ dcgm }) => dcgm.recover('node-7'),
      body: alertmanagerGroup(nodeGroup, [
        gpuTemp('3', 'resolved', at(2 * s), at(24 * s)),
        gpuTemp('4', 'resolved', at(13 * s), at(24 * s)),
      ]),
    },
    {
      atMs: 28 * s,
      source: 'alertmanager',
      what: 'node-7 GPU 3 hot again (flapping)',
      effect: ({ dcgm }) => dcgm.heatUp('node-7', { gpus: [3], rampMs: 10_000 }),
      body: alertmanagerGroup(nodeGroup, [
        gpuTemp('3', 'firing', at(2 * s)),
        gpuTemp('4', 'resolved', at(13 * s), at(24 * s)),
      ]),
    },
    {
      atMs: 45 * s,
      source: 'alertmanager',
      what: 'node-7 cooled down for good',
      effect: ({ dcgm }) => dcgm.recover('node-7'),
      body: alertmanagerGroup(nodeGroup, [
        gpuTemp('3', 'resolved', at(2 * s), at(45 * s)),
        gpuTemp('4', 'resolved', at(13 * s), at(24 * s)),
      ]),
    },
  ];
}
