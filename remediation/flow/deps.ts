import type { TimeFormat } from '../../cards/templates/format.ts';
import type { Clock } from '../../core/clock.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Message } from '../../core/message.ts';
import { type ChannelTarget, enqueueReply } from '../../core/outbox/enqueue.ts';
import { enqueueProposalCard } from '../../core/outbox/proposal-cards.ts';
import type { Proposal, ReplyPlace } from '../../core/remediation/proposal.ts';
import type { SpanningStore } from '../../store/bot-store.ts';
import type { RemediationRepo } from '../../store/remediation/remediation-repo.ts';
import type { ActionContext, RemediationAction } from '../action.ts';
import type { BackendPoolApi } from '../executors/apim-backends.ts';
import type { AgentPoolApi } from '../executors/azure.ts';
import type { GpuEvidenceReader } from '../executors/gpu-evidence.ts';
import type { KubeClients } from '../executors/kubernetes.ts';
import type { ScaleSetVmApi } from '../executors/scale-set-vms.ts';
import type { ThrottleReader } from '../executors/throttle-rate.ts';
import type { TicketFiler } from '../executors/ticket-webhook.ts';
import type { RemediationPolicy } from '../policy.ts';

/** What the approval flow needs; the composition root builds it once. */
export interface RemediationDeps {
  repo: RemediationRepo;
  actions: readonly RemediationAction[];
  policy: RemediationPolicy;
  kube: KubeClients;
  /** AKS agent pools, when Azure is configured. */
  nodePools?: AgentPoolApi;
  /** VM scale set instances behind the nodes (reboot-node), when Azure is configured. */
  nodeVms?: ScaleSetVmApi;
  /** The AI gateway's API Management backend pools (shift-backend-pool), when configured. */
  backendPools?: BackendPoolApi;
  /** GPU evidence from the metrics backend (file-gpu-replacement). */
  gpuEvidence?: GpuEvidenceReader;
  /** The ticket webhook (file-gpu-replacement). */
  tickets?: TicketFiler;
  /** The 429 rate from the logs backend, when there is one (shift-traffic's verification). */
  throttle?: ThrottleReader;
  /** The 429 rate from the resource's Azure Monitor metrics, when configured (shift-backend-pool). */
  resourceThrottle?: ThrottleReader;
  /** The bot's store: incidents (tier) and the outbox (progress in the thread). */
  store: SpanningStore;
  targets: readonly ChannelTarget[];
  clock: Clock;
  /** IANA time zone for times on cards (the bot policy's `timeZone`). */
  timeZone: string;
  /** Pause between verification polls (tests advance a manual clock instead). */
  sleep(ms: number): Promise<void>;
  /** Called after a message was queued, so delivery starts at once. */
  onQueued(): void;
  logger?: Logger;
}

/** The setting holding the global kill switch. */
export const KILL_SWITCH_KEY = 'remediation.enabled';

/** How cards show times now. */
export function timeFormat(deps: RemediationDeps): TimeFormat {
  return { timeZone: deps.timeZone, now: deps.clock.now() };
}

export function actionContext(deps: RemediationDeps): ActionContext {
  return {
    kube: deps.kube,
    nodePools: deps.nodePools,
    nodeVms: deps.nodeVms,
    backendPools: deps.backendPools,
    apimPools: deps.policy.apim?.pools ?? {},
    gpuEvidence: deps.gpuEvidence,
    tickets: deps.tickets,
    throttle: deps.throttle,
    resourceThrottle: deps.resourceThrottle,
    guardrails: deps.policy.guardrails,
    gpuReset: deps.policy.gpuReset,
    clock: deps.clock,
    sleep: (ms) => deps.sleep(ms),
  };
}

export function findAction(deps: RemediationDeps, id: string): RemediationAction {
  const action = deps.actions.find((a) => a.id === id);
  if (!action) {
    const known = deps.actions.map((a) => a.id).join(', ');
    throw new UserFacingError('UNKNOWN_REMEDIATION', `There is no remediation "${id}". Known: ${known}.`);
  }
  return action;
}

/** Refuses while remediation is switched off, by the policy's mode or the kill switch. */
export async function requireEnabled(deps: RemediationDeps): Promise<void> {
  if (deps.policy.mode === 'off')
    throw new UserFacingError('REMEDIATION_OFF', 'Remediation is off in the policy (mode: off).');
  if ((await deps.repo.getSetting(KILL_SWITCH_KEY)) === 'off')
    throw new UserFacingError(
      'REMEDIATION_OFF',
      'Remediation is switched off (kill switch). Someone allowed to can turn it on with /remediation on.',
    );
}

/**
 * Queues a message in the thread where the proposal was made, with the audit chain's head at that
 * moment: the thread keeps a copy of each step's head outside the database (`audit:verify --head`).
 */
export async function postToPlace(deps: RemediationDeps, place: ReplyPlace, message: Message): Promise<void> {
  const head = await deps.repo.auditHead();
  const stamped: Message = head
    ? {
        ...message,
        sections: [...message.sections, { kind: 'text', text: `Audit head ${head.seq}:${head.hash}` }],
      }
    : message;
  await deps.store.transaction((tx) => enqueueReply(tx, place, stamped, deps.clock.now()));
  deps.onQueued();
}

/**
 * Queues a sync of the proposal's card: posted in its thread the first time, edited in place at
 * every later step. Call after every state change; syncs coalesce and render the latest state.
 */
export async function syncProposalCard(
  deps: RemediationDeps,
  p: Pick<Proposal, 'id' | 'place'>,
): Promise<void> {
  await deps.store.transaction((tx) => enqueueProposalCard(tx, p.place, p.id, deps.clock.now()));
  deps.onQueued();
}

/**
 * One structured log line per step a person or the bot takes on a remediation (who, what, which
 * incident), with the audit chain's head so the head is kept outside the database too.
 */
export async function logRemediationStep(
  deps: RemediationDeps,
  step: string,
  p: Pick<Proposal, 'id' | 'actionId' | 'incidentId' | 'status'>,
  actor: string,
): Promise<void> {
  if (!deps.logger) return;
  const head = await deps.repo.auditHead().catch(() => undefined);
  deps.logger.info(
    {
      action: `remediation-${step}`,
      user: actor,
      incidentId: p.incidentId,
      proposalId: p.id,
      remediation: p.actionId,
      status: p.status,
      auditHead: head && `${head.seq}:${head.hash}`,
    },
    'remediation step',
  );
}
