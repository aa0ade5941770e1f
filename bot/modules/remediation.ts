import type { ProposalCardSource } from '../../core/outbox/proposal-cards.ts';
import {
  createRemediationModule,
  type RemediationModule,
} from '../../handlers/approvals/remediation-module.ts';
import { gpuEvidenceFromMetrics } from '../../remediation/executors/gpu-evidence.ts';
import { createKubeClients } from '../../remediation/executors/kubernetes.ts';
import { createMetricsThrottleReader } from '../../remediation/executors/throttle-metrics.ts';
import { createLogsThrottleReader } from '../../remediation/executors/throttle-rate.ts';
import { type TicketWebhook, ticketFiler } from '../../remediation/executors/ticket-webhook.ts';
import { type RemediationPolicy, remediationPolicySchema } from '../../remediation/policy.ts';
import type { RemediationTargets } from '../backends.ts';
import { LOCAL_APIM_POLICY } from '../local-mode.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';

/**
 * In local mode the console's users are the on-call group, so a newcomer can propose as one name
 * and approve as another; production policies name their own groups.
 */
const LOCAL_REMEDIATION_POLICY = remediationPolicySchema.parse({
  groups: { oncall: ['console:alice', 'console:bob', 'console:carol', 'console:dave'] },
  apim: LOCAL_APIM_POLICY,
});

type Needs = Pick<ModuleParts, 'store' | 'targets' | 'clock' | 'logger' | 'queued' | 'metrics' | 'backends'>;

interface RemediationSettings {
  on: RemediationTargets;
  policy: RemediationPolicy;
  timeZone: string;
  ticketWebhook: TicketWebhook | undefined;
}

/**
 * Human-approved remediations: on in local mode (the simulated cluster) and in production when
 * the policy has a `remediation` section. Provides the proposal cards the outbox renders, and
 * itself, whose `propose` agents use.
 */
export const remediationPlugin: ModulePlugin<
  Needs,
  RemediationSettings,
  { proposalCards: ProposalCardSource; remediation: RemediationModule }
> = {
  id: 'remediation',
  fromConfig: (config, { backends }) =>
    backends.remediationTargets && {
      on: backends.remediationTargets,
      policy: config.policy.remediation ?? LOCAL_REMEDIATION_POLICY,
      timeZone: config.policy.timeZone,
      ticketWebhook: config.ticketWebhook,
    },
  async setUp(s, needs) {
    const module = await createRemediationModule({
      repo: needs.store.remediation,
      kube: createKubeClients(s.on.kubeConfig),
      nodePools: s.on.nodePools,
      backendPools: s.on.backendPools,
      policy: s.policy,
      store: needs.store,
      targets: needs.targets,
      clock: needs.clock,
      timeZone: s.timeZone,
      onQueued: needs.queued,
      logger: needs.logger,
      registry: needs.metrics?.registry,
      // shift-traffic verifies with the vetted throttle-rate query that 429s are dropping.
      throttle: needs.backends.logs && createLogsThrottleReader(needs.backends.logs, needs.clock),
      // shift-backend-pool also reads the resource's own 429 count from Azure Monitor metrics.
      resourceThrottle:
        needs.backends.azureMetrics && createMetricsThrottleReader(needs.backends.azureMetrics),
      gpu: {
        nodeVms: s.on.nodeVms,
        gpuEvidence: needs.backends.metrics && gpuEvidenceFromMetrics(needs.backends.metrics, needs.clock),
        tickets: s.ticketWebhook && ticketFiler(s.ticketWebhook),
      },
    });
    return { module, provides: { proposalCards: module.proposalCards, remediation: module } };
  },
};
