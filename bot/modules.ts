import { join } from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { createWorkerChartRenderer } from '../cards/charts/chart-renderer.ts';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import type { ChannelTarget } from '../core/outbox/enqueue.ts';
import type { ProposalCardSource } from '../core/outbox/proposal-cards.ts';
import type { Store } from '../core/store.ts';
import { createRemediationModule } from '../handlers/approvals/remediation-module.ts';
import { createAskModule } from '../handlers/ask/ask-module.ts';
import { createGpuModule } from '../handlers/gpu/gpu-module.ts';
import type { BotModule, QuestionAnswerer } from '../handlers/module.ts';
import { DEFAULT_PAGERDUTY_EVENTS_URL } from '../handlers/paging/pagerduty-client.ts';
import { createPagingModule, openPagingRepo } from '../handlers/paging/paging-module.ts';
import { createQueriesModule, openEvidenceRepo } from '../handlers/queries/queries-module.ts';
import { withQueryPolicy } from '../handlers/queries/query-policy.ts';
import type { LimitedWork } from '../handlers/rate-limit/rate-limit-policy.ts';
import { withRateLimit } from '../handlers/rate-limit/with-rate-limit.ts';
import { WorkLimiter } from '../handlers/rate-limit/work-limiter.ts';
import { createAzureLogsBackend } from '../queries/backends/azure-logs.ts';
import { withCoalescedRuns } from '../queries/backends/coalesced-logs.ts';
import { withQueryMetrics } from '../queries/backends/instrumented-logs.ts';
import type { LogsBackend } from '../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../queries/backends/metrics-backend.ts';
import { createPrometheusBackend } from '../queries/backends/prometheus.ts';
import { KQL_CATALOG } from '../queries/catalog.ts';
import { createKubeClients } from '../remediation/executors/kubernetes.ts';
import { nodeSchedulingFromKube } from '../remediation/executors/node-scheduling.ts';
import { createLogsThrottleReader } from '../remediation/executors/throttle-rate.ts';
import { remediationPolicySchema } from '../remediation/policy.ts';
import type { Config } from './config.ts';
import {
  type LocalPlatform,
  simulatedExporterModule,
  simulatedInventory,
  simulatedNodes,
  startSimulatedLogs,
} from './local-mode.ts';
import type { Logger } from './logger.ts';
import type { BotMetrics } from './metrics.ts';
import { connectRemediationTargets } from './remediation-targets.ts';
import type { Tracing } from './tracing.ts';

export interface ModuleContext {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  targets: readonly ChannelTarget[];
  /** Wakes the delivery loop after a module queued messages. */
  kick: () => void;
  /** The simulated platform in local mode. */
  platform: LocalPlatform | undefined;
  /** Spans of the later stages of an incident's trace (evidence); optional like metrics. */
  tracing?: Tracing;
  /** The bot's own metrics (query latency, LLM tokens, remediation events); optional in tests. */
  metrics?: BotMetrics;
}

/**
 * In local mode the console's users are the on-call group, so a newcomer can propose as one name
 * and approve as another; production policies name their own groups.
 */
const LOCAL_REMEDIATION_POLICY = remediationPolicySchema.parse({
  groups: { oncall: ['console:alice', 'console:bob', 'console:carol', 'console:dave'] },
});

/** Every capability module of the bot, named once, in the order their card additions appear. */
/**
 * The capability modules, who answers questions in words (the ask module, when on) and who draws
 * remediation proposal cards (the remediation module, when on): handed over by reference, never
 * looked up among the modules.
 */
export interface Capabilities {
  modules: BotModule[];
  answerQuestion: QuestionAnswerer | undefined;
  proposalCards: ProposalCardSource | undefined;
}

export async function createModules(ctx: ModuleContext): Promise<Capabilities> {
  const { config } = ctx;
  // CPU-heavy work runs in worker threads, so intake and health answer while it runs: chart PNGs
  // (ECharts + resvg, shared by /gpu and /kql charts) and, in local mode, the KQL engine with the
  // simulated telemetry it owns.
  const charts = createWorkerChartRenderer(1);
  const simulatedLogs = ctx.platform ? startSimulatedLogs(ctx.clock) : undefined;
  const modules: BotModule[] = [];
  // Vetted KQL (/kql, incident evidence): simulated telemetry in local mode, else Log Analytics.
  // Every path runs through the query policy (prices from the policy file, private queries in DMs).
  const rawLogs: LogsBackend | undefined =
    simulatedLogs ??
    (config.logAnalytics && createAzureLogsBackend({ ...config.logAnalytics, catalog: KQL_CATALOG }));
  // Incidents opened together about the same deployment share one run of each evidence query.
  const shared = rawLogs && withCoalescedRuns(rawLogs);
  const timed = shared && ctx.metrics ? withQueryMetrics(shared, ctx.metrics.queryDuration) : shared;
  const logs = timed && withQueryPolicy(timed, config.policy, () => ctx.clock.now());
  // Local mode acts on the simulated cluster; production only when the policy has a remediation section.
  const remediationTargets = ctx.platform
    ? { kubeConfig: ctx.platform.kubeConfig }
    : config.policy.remediation !== undefined
      ? connectRemediationTargets(config.remediationTargets, config.policy.remediation)
      : undefined;
  // One limiter for every costly command; questions are charged to `ask` only, also when they
  // are answered with the /gpu card, so the unwrapped command is handed to the ask module.
  const limiter = new WorkLimiter(config.policy.rateLimits, () => ctx.clock.now());
  /** A module whose commands are costly (/gpu, /kql): they are charged to the limiter as `work`. */
  const rateLimited = (m: BotModule, work: LimitedWork): BotModule => ({
    ...m,
    commands: m.commands?.map((c) => withRateLimit(c, work, limiter)),
  });
  const remediation =
    remediationTargets &&
    (await createRemediationModule({
      dbPath: join(config.dataDir, 'bot.db'),
      databaseUrl: config.databaseUrl,
      kube: createKubeClients(remediationTargets.kubeConfig),
      nodePools: 'nodePools' in remediationTargets ? remediationTargets.nodePools : undefined,
      policy: config.policy.remediation ?? LOCAL_REMEDIATION_POLICY,
      store: ctx.store,
      targets: ctx.targets,
      clock: ctx.clock,
      timeZone: config.policy.timeZone,
      onQueued: ctx.kick,
      logger: ctx.logger,
      registry: ctx.metrics?.registry,
      // shift-traffic verifies with the vetted throttle-rate query that 429s are dropping.
      throttle: logs && createLogsThrottleReader(logs, ctx.clock),
    }));
  if (remediation) modules.push(remediation);
  const metrics: MetricsBackend | undefined =
    ctx.platform?.metrics ??
    (config.prometheus &&
      createPrometheusBackend({
        baseUrl: config.prometheus.url,
        getToken: prometheusToken(config.prometheus),
        clock: ctx.clock,
      }));
  const gpu =
    metrics &&
    createGpuModule({
      backend: metrics,
      chartSecret: config.chartUrlSecret,
      publicUrl: config.publicUrl,
      clock: ctx.clock,
      timeZone: config.policy.timeZone,
      gpuPolicy: config.policy.gpu,
      knownNodes: ctx.platform && simulatedNodes(ctx.platform),
      scheduling: remediationTargets && nodeSchedulingFromKube(remediationTargets.kubeConfig),
      charts,
    });
  if (gpu) modules.push(rateLimited(gpu, 'gpu'));
  if (ctx.platform) modules.push(simulatedExporterModule(ctx.platform));
  if (logs) {
    modules.push(
      rateLimited(
        createQueriesModule({
          backend: logs,
          store: ctx.store,
          targets: ctx.targets,
          clock: ctx.clock,
          // Shared by replicas on DATABASE_URL, so an incident's evidence is collected once.
          evidence: await openEvidenceRepo({
            databaseUrl: config.databaseUrl,
            sqlitePath: join(config.dataDir, 'bot.db'),
            dataDir: config.dataDir,
            now: ctx.clock.now(),
            logger: ctx.logger,
          }),
          logger: ctx.logger,
          onQueued: ctx.kick,
          publicUrl: config.publicUrl,
          timeZone: config.policy.timeZone,
          tracing: ctx.tracing,
          policy: config.policy,
          charts,
        }),
        'kql',
      ),
    );
  }
  if (config.pagerDuty || config.policy.paging !== undefined) {
    // Paging, escalation and the P3 digest: on when PagerDuty or a `paging` policy is configured.
    modules.push(
      createPagingModule({
        repo: await openPagingRepo({
          databaseUrl: config.databaseUrl,
          sqlitePath: join(config.dataDir, 'bot.db'),
        }),
        policy: config.policy.paging,
        timeZone: config.policy.timeZone,
        pagerDuty: config.pagerDuty && {
          routingKey: config.pagerDuty.routingKey,
          eventsUrl: config.pagerDuty.eventsUrl ?? DEFAULT_PAGERDUTY_EVENTS_URL,
        },
        publicUrl: config.publicUrl,
        smtp: config.smtp,
        store: ctx.store,
        targets: ctx.targets,
        clock: ctx.clock,
        logger: ctx.logger,
        onQueued: ctx.kick,
      }),
    );
  }
  // Questions in words, answered only through the vetted KQL and GPU queries above.
  const ask =
    (logs || gpu) &&
    createAskModule({
      catalog: logs ? KQL_CATALOG : undefined,
      logs,
      gpuCommand: gpu?.gpuCommand,
      // Production has no inventory of its own yet: only names the questions spell out.
      inventory: ctx.platform ? simulatedInventory(ctx.platform) : {},
      clock: ctx.clock,
      timeZone: config.policy.timeZone,
      dataDir: config.dataDir,
      llm: config.llm && { ...config.llm, logger: ctx.logger, metrics: ctx.metrics },
      limiter,
    });
  if (ask) modules.push(ask);
  // Last, so that the modules above finish their work (evidence in flight) before threads end.
  modules.push({
    id: 'workers',
    async close() {
      await charts.close();
      await simulatedLogs?.close();
    },
  });
  return {
    modules,
    answerQuestion: ask ? ask.answerQuestion : undefined,
    proposalCards: remediation?.proposalCards,
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
