import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Incident } from '../../core/alerts/incident.ts';
import { ManualClock } from '../../core/clock.ts';
import { evidenceFor } from '../../handlers/queries/evidence-policy.ts';
import { createLocalLogsBackend } from '../../queries/backends/local-logs.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import { aiPlatformIncidents, type ScenarioStep } from '../../sim/scenarios/ai-platform-incidents.ts';
import { DAY, HOUR } from '../../sim/telemetry/profile.ts';
import { SimulatedTelemetry } from '../../sim/telemetry/telemetry.ts';
import { type ConsoleApiMessage, startTestBot, type TestBot } from '../helpers/test-bot.ts';

interface AzureBody {
  data: {
    essentials: { alertRule: string };
    alertContext: {
      condition: {
        windowSize: string;
        allOf: { metricValue: number; threshold: string; dimensions: { value: string }[] }[];
      };
    };
  };
}
interface AmBody {
  alerts: { labels: Record<string, string> }[];
}
interface GrafanaBody {
  alerts: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
    values: Record<string, number>;
  }[];
}

/** GPUs a pod asks for (its containers' nvidia.com/gpu limits). */
function gpuLimit(pod: V1Pod): number {
  return (pod.spec?.containers ?? []).reduce(
    (sum, c) => sum + Number(c.resources?.limits?.['nvidia.com/gpu'] ?? 0),
    0,
  );
}

/** The rows of a result as objects, by column name. */
function records(result: { columns: { name: string }[]; rows: unknown[][] }): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

/**
 * The local demo's scenario, played through the real bot in local mode: what each alert says
 * (its value, its pod on a GPU) is what the bot's own evidence and `/gpu` find in the simulated
 * platform, because both come from one definition of the world.
 */
describe('the simulated platform is one world (real bot, local mode)', () => {
  let bot: TestBot;
  const clock = new ManualClock();
  let steps: ScenarioStep[];
  let startMs: number;
  // The evidence queries, run on a local KQL engine over the same simulated telemetry as the bot's
  // (same scenario start, same clock), where every number of a result can be read exactly.
  let evidence: LogsBackend;
  const kubePods = async () =>
    (await bot.platform!.kubeConfig.makeApiClient(CoreV1Api).listPodForAllNamespaces()).items;

  const step = (what: RegExp): ScenarioStep => steps.find((s) => what.test(s.what))!;
  const cardOf = async (what: RegExp): Promise<ConsoleApiMessage | undefined> =>
    (await bot.consoleMessages()).find((m) => m.card && what.test(JSON.stringify(m.card)));

  // Each step is played at its own instant of the story, as the alert simulator plays it (steps
  // are played in time order below, so the clock only moves forward).
  const play = async (s: ScenarioStep) => {
    clock.set(Math.max(clock.now(), startMs + s.atMs));
    s.effect?.({ dcgm: bot.platform!.dcgm, scrapeNow: () => bot.platform!.scrapeNow() });
    bot.platform!.scrapeNow();
    const res = await bot.postAlert(s.source, s.body);
    expect(res.status).toBeLessThan(300);
    await bot.flush();
  };

  beforeAll(async () => {
    bot = await startTestBot({}, clock, { localPlatform: true });
    // The telemetry's episodes are placed relative to the bot's start; so is the scenario.
    startMs = clock.now();
    steps = aiPlatformIncidents(startMs);
    const telemetry = new SimulatedTelemetry({ clock, startMs, historyMs: DAY + HOUR, onDemand: true });
    evidence = createLocalLogsBackend({
      catalog: KQL_CATALOG,
      engine: telemetry.engine,
      beforeQuery: (text) => telemetry.refresh(text),
    });
    // The telemetry worker builds 7 days of rows on its first query; build them before the alert
    // so the evidence's 10 s budget is spent on the query, not on a loaded CI machine's start-up.
    await bot.say('/kql tpm-vs-quota');
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it('every pod DCGM maps to a GPU is a pod of the Kubernetes API, bound to that node, holding that many GPUs', async () => {
    const dcgm = new Map<string, { node: string; container: string; gpus: number }>();
    for (const node of bot.platform!.dcgm.nodes)
      for (const gpu of node.gpus) {
        if (!gpu.pod) continue;
        const key = `${gpu.pod.namespace}/${gpu.pod.pod}`;
        const seen = dcgm.get(key);
        expect(seen?.node ?? node.name, `${key} on two nodes`).toBe(node.name);
        dcgm.set(key, { node: node.name, container: gpu.pod.container, gpus: (seen?.gpus ?? 0) + 1 });
      }
    const kube = new Map(
      (await kubePods())
        .filter((p) => gpuLimit(p) > 0)
        .map((p): [string, V1Pod] => [`${p.metadata?.namespace}/${p.metadata?.name}`, p]),
    );
    expect([...dcgm.keys()].sort()).toEqual([...kube.keys()].sort());
    for (const [key, placed] of dcgm) {
      const pod = kube.get(key)!;
      expect(pod.spec?.nodeName, key).toBe(placed.node);
      expect(
        pod.spec?.containers.map((c) => c.name),
        key,
      ).toContain(placed.container);
      expect(gpuLimit(pod), key).toBe(placed.gpus);
      expect(pod.status?.phase, key).toBe('Running');
      expect(pod.metadata?.ownerReferences?.[0]?.kind, key).toMatch(/^(ReplicaSet|PyTorchJob)$/);
    }
    // Namespaces DCGM reports are namespaces of the cluster.
    const namespaces = (await bot.platform!.kubeConfig.makeApiClient(CoreV1Api).listNamespace()).items.map(
      (n) => n.metadata?.name,
    );
    for (const key of dcgm.keys()) expect(namespaces).toContain(key.split('/')[0]);
  });

  it("the throttling alert's 429 count is what the throttle-rate evidence counts over the alert's window", async () => {
    const throttle = step(/gpt-4o throttled/);
    const condition = (throttle.body as AzureBody).data.alertContext.condition;
    const deployment = condition.allOf[0]!.dimensions.find((d) => d.value !== '429')!.value;
    await play(throttle);
    const [query] = evidenceFor({ kind: 'aoai-throttling', resource: { deployment } } as Incident, 0);
    expect(query!.queryId).toBe('throttle-rate');
    const run = await evidence.run(query!.queryId, {
      ...query!.params,
      window: condition.windowSize.replace(/^PT/, '').toLowerCase(),
    });
    const counted = records(run.result).reduce((sum, r) => sum + Number(r.Throttled), 0);
    expect(counted).toBeGreaterThan(Number(condition.allOf[0]!.threshold));
    expect(condition.allOf[0]!.metricValue).toBe(counted);
  });

  it("the latency alert's P95 is the model-version-comparison evidence's P95 for that model version", async () => {
    const latency = step(/latency regression/);
    const alert = (latency.body as GrafanaBody).alerts[0]!;
    await play(latency);
    // No start time: the evidence runs over its relative look-back, as for an alert just received.
    const queries = evidenceFor(
      { kind: 'latency-slo', resource: { deployment: alert.labels.deployment } } as Incident,
      0,
    );
    const byVersion = queries.find((q) => q.queryId === 'model-version-comparison')!;
    const run = await evidence.run(byVersion.queryId, byVersion.params);
    const row = records(run.result).find((r) => r.ModelVersion === alert.labels.model_version);
    expect(row, JSON.stringify(run.result.rows)).toBeDefined();
    expect(alert.values.B).toBe(row!.P95Ms);
    expect(alert.annotations.summary).toContain(`P95 latency ${(Number(row!.P95Ms) / 1000).toFixed(1)} s`);
    // The card the bot posts shows the same P95 as its evidence headline.
    const headlineOf = async () =>
      /(?<!Slowest )P95 latency ([\d.,]+)\s?ms on ([\w.-]+)/.exec(
        JSON.stringify((await cardOf(/latency over SLO/))?.card),
      );
    await vi.waitFor(
      async () => {
        await bot.flush();
        expect(await headlineOf()).not.toBeNull();
      },
      { timeout: 60_000, interval: 100 },
    );
    const headline = await headlineOf();
    expect(headline![2]).toBe(alert.labels.model_version);
    expect(Number(headline![1]!.replace(/,/g, ''))).toBeCloseTo(alert.values.B!, 0);
  }, 90_000);

  it("the TPM quota alert's value is the tpm-vs-quota evidence's headline", async () => {
    const quota = step(/TPM quota/);
    const condition = (quota.body as AzureBody).data.alertContext.condition.allOf[0]!;
    const deployment = condition.dimensions[0]!.value;
    await play(quota);
    await vi.waitFor(
      async () => {
        await bot.flush();
        expect(JSON.stringify((await cardOf(/tokens-per-minute quota/))?.card)).toContain(
          'Peak TPM used of quota',
        );
      },
      { timeout: 60_000, interval: 100 },
    );
    const text = JSON.stringify((await cardOf(/tokens-per-minute quota/))!.card);
    const headline = /Peak TPM used of quota ([\d.,]+)\s?% on ([\w.-]+)/.exec(text);
    expect(headline, text).not.toBeNull();
    expect(headline![2]).toBe(deployment);
    expect(Number(headline![1]!.replace(/,/g, ''))).toBeCloseTo(condition.metricValue, 1);
  }, 90_000);

  it("the ECC alert's pod is the pod /gpu shows on that node's GPU", async () => {
    const ecc = step(/ECC/);
    const labels = (ecc.body as AmBody).alerts[0]!.labels;
    await play(ecc);
    const reply = await bot.say(`/gpu ${labels.Hostname} gpu=${labels.gpu}`);
    const card = JSON.stringify(reply.card);
    expect(card).toContain(labels.pod);
    const inCluster = (await kubePods()).find(
      (p) => p.metadata?.namespace === labels.namespace && p.metadata?.name === labels.pod,
    );
    expect(inCluster?.spec?.nodeName, `${labels.namespace}/${labels.pod}`).toBe(labels.Hostname);
  });

  it('the GPU temperature alert, /gpu and the cluster name the same pod on each hot GPU', async () => {
    const hot = step(/second GPU on node-7/);
    await play(step(/node-7 GPU 3 runs hot/));
    await play(hot);
    const pods = await kubePods();
    for (const { labels } of (hot.body as AmBody).alerts) {
      const inCluster = pods.find(
        (p) => p.metadata?.namespace === labels.namespace && p.metadata?.name === labels.pod,
      );
      expect(inCluster?.spec?.nodeName, `${labels.namespace}/${labels.pod}`).toBe(labels.Hostname);
      expect(inCluster?.spec?.containers.map((c) => c.name)).toContain(labels.container);
      const reply = await bot.say(`/gpu ${labels.Hostname} gpu=${labels.gpu}`);
      const card = JSON.stringify(reply.card);
      expect(card).toContain(labels.pod);
    }
  });
});
