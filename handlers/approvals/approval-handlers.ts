import { remediationProposalCard } from '../../cards/templates/remediation-proposal.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { MessageAction } from '../../core/message.ts';
import type { ChannelTarget } from '../../core/outbox/enqueue.ts';
import type { ProposalCardSource } from '../../core/outbox/proposal-cards.ts';
import { UNATTENDED_ACTOR } from '../../core/remediation/proposal.ts';
import type { StoredAlert } from '../../core/store.ts';
import type { GpuRemediationPorts } from '../../remediation/action.ts';
import { ACTIONS } from '../../remediation/catalog.ts';
import type { BackendPoolApi } from '../../remediation/executors/apim-backends.ts';
import type { AgentPoolApi } from '../../remediation/executors/azure.ts';
import type { KubeClients } from '../../remediation/executors/kubernetes.ts';
import type { ThrottleReader } from '../../remediation/executors/throttle-rate.ts';
import { findAction, type RemediationDeps, timeFormat } from '../../remediation/flow/deps.ts';
import { createRemediationService, type RemediationService } from '../../remediation/flow/service.ts';
import { defaultRemediationPolicy, type RemediationPolicy } from '../../remediation/policy.ts';
import type { SpanningStore } from '../../store/bot-store.ts';
import type { RemediationRepo } from '../../store/remediation/remediation-repo.ts';
import type { ButtonHandler, CommandHandler } from '../commands/command.ts';
import { createAuditCommand } from './audit-command.ts';
import { startEarnedRuns } from './earned-runs.ts';
import { createRemediateCommand } from './remediate-command.ts';
import { createApproveButton, createProposeButton, createRejectButton } from './remediation-buttons.ts';
import { createRemediationSwitchCommand } from './remediation-switch-command.ts';
import { suggestedRemediationActions } from './suggested-remediations.ts';

/** The chat commands and buttons of remediation, for the composition root's lists. */
export function createApprovalHandlers(service: RemediationService): {
  commands: CommandHandler[];
  buttons: ButtonHandler[];
} {
  return {
    commands: [
      createRemediateCommand(service),
      createAuditCommand(service),
      createRemediationSwitchCommand(service),
    ],
    buttons: [createProposeButton(service), createApproveButton(service), createRejectButton(service)],
  };
}

export interface RemediationSetupOptions {
  /** Where remediation state lives (SQLite or PostgreSQL); closed by `close()`. */
  repo: RemediationRepo;
  /** The Kubernetes API clients of the cluster remediations act on (see `createKubeClients`). */
  kube: KubeClients;
  /** AKS agent pools (see `createAgentPoolApi`); without it, scale-node-pool explains what to configure. */
  nodePools?: AgentPoolApi;
  /** The AI gateway's API Management backend pools (see `createBackendPoolApi`) for shift-backend-pool. */
  backendPools?: BackendPoolApi | undefined;
  /** 429 counts from the logs backend (see `createLogsThrottleReader`) for shift-traffic's verification. */
  throttle?: ThrottleReader;
  /** 429 counts from Azure Monitor metrics (see `createMetricsThrottleReader`) for shift-backend-pool. */
  resourceThrottle?: ThrottleReader | undefined;
  /** Scale set VMs, GPU evidence and the ticket webhook for the GPU actions; each optional. */
  gpu?: GpuRemediationPorts;
  /** The parsed `remediation` section of the policy file; undefined for the defaults. */
  policy?: RemediationPolicy;
  store: SpanningStore;
  targets: readonly ChannelTarget[];
  clock: Clock;
  timeZone: string;
  onQueued(): void;
  logger?: Logger;
  /** Defaults to a real timer. */
  sleep?(ms: number): Promise<void>;
}

/**
 * Everything the composition root needs for remediation: the service, its commands and buttons,
 * the suggested-remediation buttons for incident cards, a sweep for expired proposals, and close.
 */
export function setupRemediation(options: RemediationSetupOptions) {
  const { repo } = options;
  const deps: RemediationDeps = {
    repo,
    actions: ACTIONS,
    policy: options.policy ?? defaultRemediationPolicy(),
    kube: options.kube,
    nodePools: options.nodePools,
    backendPools: options.backendPools,
    throttle: options.throttle,
    resourceThrottle: options.resourceThrottle,
    ...options.gpu,
    store: options.store,
    targets: options.targets,
    clock: options.clock,
    timeZone: options.timeZone,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    onQueued: options.onQueued,
    logger: options.logger,
  };
  const service = createRemediationService(deps);
  return {
    service,
    proposalCards: createProposalCards(deps),
    ...createApprovalHandlers(service),
    /** Extra actions for an incident card (append to the card's Ack/Silence buttons). */
    suggestedActions: (incident: Incident, alerts: readonly StoredAlert[] = []): MessageAction[] =>
      suggestedRemediationActions(deps.policy, ACTIONS, incident, alerts),
    sweepExpired: () => service.sweepExpired(),
    /** `mode: auto`: unattended runs of what open incidents call for (see earned-runs.ts). */
    startEarnedRuns: () => startEarnedRuns(service),
    async close(): Promise<void> {
      await service.idle();
      await repo.close();
    },
  };
}

/** Proposal cards for the outbox: rendered from the remediation store at delivery. */
export function createProposalCards(deps: RemediationDeps): ProposalCardSource {
  return {
    async render(proposalId, now) {
      const p = await deps.repo.getProposal(proposalId);
      if (!p) return undefined;
      const title = findAction(deps, p.actionId).title;
      const unattended =
        p.proposedBy === UNATTENDED_ACTOR
          ? (await deps.repo.listAudit({ incidentId: p.incidentId ?? undefined, limit: 500 })).find(
              (r) => r.proposalId === p.id && r.event === 'auto-approved',
            )?.detail
          : undefined;
      return remediationProposalCard(
        p,
        title,
        { ...timeFormat(deps), now },
        { auditHead: await deps.repo.auditHead(), unattended },
      );
    },
    getMessage: (proposalId, surface) => deps.repo.getCardMessage(proposalId, surface),
    saveMessage: (proposalId, ref, now) => deps.repo.saveCardMessage(proposalId, ref, now),
  };
}
