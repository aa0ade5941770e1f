import { Gauge, type Registry } from 'prom-client';
import { remediationOutcomes } from '../../cards/templates/remediation-outcome.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { Message } from '../../core/message.ts';
import type { ChannelTarget } from '../../core/outbox/enqueue.ts';
import type { ProposalCardSource } from '../../core/outbox/proposal-cards.ts';
import type { Proposal } from '../../core/remediation/proposal.ts';
import type { GpuRemediationPorts, RemediationAction } from '../../remediation/action.ts';
import type { BackendPoolApi } from '../../remediation/executors/apim-backends.ts';
import type { AgentPoolApi } from '../../remediation/executors/azure.ts';
import type { KubeClients } from '../../remediation/executors/kubernetes.ts';
import type { ThrottleReader } from '../../remediation/executors/throttle-rate.ts';
import type { ProposeInput } from '../../remediation/flow/propose.ts';
import type { RemediationPolicy } from '../../remediation/policy.ts';
import type { SpanningStore } from '../../store/bot-store.ts';
import type { RemediationRepo } from '../../store/remediation/remediation-repo.ts';
import type { BotModule } from '../module.ts';
import { auditTimeline } from '../timeline/audit-timeline.ts';
import { setupRemediation } from './approval-handlers.ts';
import { proposeAndPost } from './remediate-command.ts';

export interface RemediationModuleOptions {
  /** The remediation tables (the store's: PostgreSQL with replicas, else the bot's SQLite file). */
  repo: RemediationRepo;
  /** The Kubernetes API clients of the cluster remediations act on (see `createKubeClients`). */
  kube: KubeClients;
  /** AKS agent pools, when the policy names a cluster and Azure is configured. */
  nodePools?: AgentPoolApi | undefined;
  /** The AI gateway's API Management backend pools (shift-backend-pool), when the policy names them. */
  backendPools?: BackendPoolApi | undefined;
  /** 429 counts for shift-traffic's verification (build with `createLogsThrottleReader`). */
  throttle?: ThrottleReader | undefined;
  /** 429 counts from the resource's Azure Monitor metrics (build with `createMetricsThrottleReader`). */
  resourceThrottle?: ThrottleReader | undefined;
  /** Scale set VMs (reboot-node), GPU evidence and the ticket webhook (file-gpu-replacement). */
  gpu?: GpuRemediationPorts | undefined;
  /** The parsed `remediation` section of the policy file. */
  policy: RemediationPolicy;
  store: SpanningStore;
  targets: readonly ChannelTarget[];
  clock: Clock;
  timeZone: string;
  onQueued(): void;
  logger: Logger;
  /** Where `oncall_bot_remediation_audit_records` is registered (the bot's /metrics). */
  registry?: Registry;
}

/**
 * The remediation module, the proposal cards the outbox renders from its state at delivery, and
 * its proposal path for other callers (agents over MCP).
 */
export interface RemediationModule extends BotModule {
  proposalCards: ProposalCardSource;
  /** Proposes exactly as `/remediate` does: policy, guardrails, dry run, audit, card in `place`. */
  propose(input: ProposeInput): Promise<{ proposal: Proposal; card: Message }>;
  /** The actions that can be proposed, with their parameter schemas. */
  actions: readonly RemediationAction[];
}

/**
 * Human-approved remediations as a bot module: /remediate, /audit and /remediation, the
 * Propose/Approve/Reject buttons, suggested actions on incident cards, and the expiry sweep.
 * Approved work interrupted by a restart is resumed before the module is handed out; executions cut
 * off mid-way are marked failed then and on every tick, once past their verification deadline.
 */
export async function createRemediationModule(options: RemediationModuleOptions): Promise<RemediationModule> {
  const { repo } = options;
  if (options.registry) registerAuditGauge(options.registry, repo);
  const r = setupRemediation({ ...options, repo });
  try {
    await r.service.recover();
  } catch (err) {
    await r.close();
    throw err;
  }
  return {
    id: 'remediation',
    commands: r.commands,
    buttons: r.buttons,
    enrichIncidentCard: (incident, alerts) => ({ actions: r.suggestedActions(incident, alerts) }),
    incidentCardRecords: async (incident, now) =>
      remediationOutcomes({
        incident,
        proposals: await repo.listProposals({ incidentId: incident.id, limit: 20 }),
        verifyTimeoutMs: r.service.deps.policy.verifyTimeout,
        tf: { timeZone: options.timeZone, now },
      }),
    timelineOf: async (incidentId) => auditTimeline(await repo.listAudit({ incidentId, limit: 500 })),
    proposalCards: r.proposalCards,
    propose: (input) => proposeAndPost(r.service, input),
    actions: r.service.deps.actions,
    async tick() {
      await r.sweepExpired();
      // A replica restarted at once leaves a cut-off execution alone until its deadline passed.
      await r.service.failInterrupted();
      await r.startEarnedRuns();
    },
    close: () => r.close(),
  };
}

/**
 * Proposals, approvals, rejections, expiries, executions, verifications and rollbacks as counted
 * by the audit log at scrape time. The log is shared, so every replica reports the same totals:
 * aggregate with max, not sum.
 */
function registerAuditGauge(registry: Registry, repo: RemediationRepo): void {
  new Gauge({
    name: 'oncall_bot_remediation_audit_records',
    help: 'Remediation audit records by event (proposed, approved, rejected, expired, executed …), from the shared audit log.',
    labelNames: ['event'] as const,
    registers: [registry],
    async collect() {
      try {
        for (const [event, n] of Object.entries(await repo.countAuditEvents())) this.set({ event }, n);
      } catch {
        // Store unavailable: keep the last values; readiness reports the outage.
      }
    },
  });
}
