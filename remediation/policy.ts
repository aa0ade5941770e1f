import { z } from 'zod';
import { isAgentPrincipal } from '../core/agent-principal.ts';
import { alertKind } from '../core/alerts/alert.ts';
import { incidentTier } from '../core/alerts/incident.ts';
import { ConfigError, describeIssues } from '../core/config-error.ts';
import { durationMs } from '../core/duration.ts';

const MINUTE = 60_000;

/**
 * A platform-qualified user id (`console:alice`, `slack:U123`, `teams:<aad id>`), an agent
 * (`mcp:<name>`, an MCP client) or `group:<name>`.
 */
export const principal = z
  .string()
  .regex(
    /^(console|slack|teams|mcp|group):[\w.@:-]+$/,
    'write console:<name>, slack:<user id>, teams:<aad object id>, mcp:<name> or group:<name>',
  );

/** Who may approve or flip the kill switch: people only, so an agent named there is a mistake. */
const personPrincipals = z.array(principal).refine((list) => !list.some(isAgentPrincipal), {
  message:
    'agents (mcp:<name>) can never approve or switch remediation; list people or groups here, and agents only under propose',
});

/** Who may propose and approve one action, and how often it may run. */
const actionRule = z.object({
  /** False disables the action entirely. */
  enabled: z.boolean().default(true),
  propose: z.array(principal).default(['group:oncall']),
  approve: personPrincipals.default(['group:oncall']),
  /** Approvers per incident tier; replaces `approve` for that tier. */
  approveByTier: z.partialRecord(incidentTier, personPrincipals).default({}),
  /**
   * With `mode: auto`: once this action has earned its record for an alert rule (see
   * `autoAfterVerifiedRuns`), matching incidents run it without approval. False keeps asking.
   */
  unattended: z.boolean().default(false),
  /** At most `max` executions of this action per `window`. */
  rateLimit: z
    .object({
      max: z.number().int().min(1).default(3),
      window: durationMs({ min: MINUTE }).default(60 * MINUTE),
    })
    .prefault({}),
});
export type ActionRule = z.infer<typeof actionRule>;

/** Limits no plan may exceed, whoever approves it. */
export const guardrails = z.object({
  /**
   * Namespaces plans may act in. By default the serving workloads: `ml` (llm-api, embeddings,
   * the gateway) and `inference` (the vLLM deployments); never training (`ml-train`): a
   * PyTorchJob is not the bot's to scale, restart or roll back.
   */
  namespaces: z.array(z.string()).default(['ml', 'inference']),
  /** `kind/name` patterns (`*` matches any run of characters) of resources actions may touch. */
  resources: z.array(z.string()).default([
    'deployments/*',
    'horizontalpodautoscalers/*',
    'configmaps/aoai-gateway-routing',
    'configmaps/llm-api-config',
    'nodes/*',
    'agentpools/gpu',
    // drain-and-reset-gpu's Job (in gpuReset.namespace), named gpu-reset-<node>-gpu<n>-<version>.
    'jobs/gpu-reset-*',
  ]),
  maxReplicas: z.number().int().min(1).default(16),
  /** Largest change in replicas one plan may make. */
  maxStep: z.number().int().min(1).default(4),
  minBatchSize: z.number().int().min(1).default(4),
  /** Largest AKS node-pool size a plan may ask for, and the largest change in nodes. */
  maxNodeCount: z.number().int().min(1).default(16),
  maxNodeStep: z.number().int().min(1).default(2),
  /** How many nodes may be cordoned at once, counting the one a plan cordons. */
  maxCordonedNodes: z.number().int().min(1).default(2),
  /** Largest share of traffic one plan may move, in percentage points. */
  maxTrafficShift: z.number().int().min(1).max(100).default(100),
  /** Share of traffic (%) the primary of an API Management backend pool keeps after any shift. */
  minPrimaryWeight: z.number().int().min(0).max(100).default(20),
});
export type Guardrails = z.infer<typeof guardrails>;

const suggestion = z.object({
  action: z.string().min(1),
  title: z.string().max(60).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type Suggestion = z.infer<typeof suggestion>;

/**
 * How drain-and-reset-gpu resets a GPU: a privileged Job pinned to the node (`spec.nodeName`, so a
 * cordon does not keep it off) running `nvidia-smi -r -i <gpu>` once the drain is complete. The
 * image needs `nvidia-smi`; the NVIDIA container toolkit mounts it into any image when the pod
 * asks for the driver's utilities (`NVIDIA_DRIVER_CAPABILITIES=utility`) on the NVIDIA runtime.
 */
export const gpuResetSettings = z
  .object({
    /** Where the reset Job runs: privileged pods must be allowed there (kube-system is on AKS). */
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name')
      .default('kube-system'),
    image: z.string().min(1).default('nvcr.io/nvidia/cuda:12.8.1-base-ubuntu22.04'),
    /** The RuntimeClass that gives the pod the NVIDIA runtime, where it is not the node's default. */
    runtimeClassName: z.string().min(1).optional(),
    /** The Job gives up after this long (`activeDeadlineSeconds`). */
    timeoutSeconds: z.number().int().min(30).max(3600).default(300),
  })
  .strict();
export type GpuResetSettings = z.infer<typeof gpuResetSettings>;

const apimName = z
  .string()
  .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]{0,79}$/, 'must be an API Management backend id');

/** remediation.apim: where the AI gateway's backend pools are and which of them the bot may shift. */
export const apimPolicy = z
  .object({
    subscriptionId: z
      .string()
      .regex(/^[0-9a-fA-F-]{36}$/, 'must be a subscription id (UUID)')
      .optional(),
    resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/, 'must be a resource group name'),
    service: z.string().regex(/^[a-zA-Z][-a-zA-Z0-9]{0,49}$/, 'must be an API Management service name'),
    pools: z
      .record(apimName, z.object({ primary: apimName }).strict())
      .refine((pools) => Object.keys(pools).length > 0, { message: 'name at least one backend pool' }),
  })
  .strict();
export type ApimPolicy = z.infer<typeof apimPolicy>;

/** A change freeze: no unattended run starts between `from` and `to` (people may still approve). */
const freezeWindow = z
  .object({
    from: z.iso.datetime({ offset: true }).transform((t) => Date.parse(t)),
    to: z.iso.datetime({ offset: true }).transform((t) => Date.parse(t)),
    reason: z.string().max(200).default('change freeze'),
  })
  .strict()
  .refine((w) => w.from < w.to, { message: 'a freeze must end after it starts (from < to)' });
export type FreezeWindow = z.infer<typeof freezeWindow>;

/**
 * The remediation part of the policy. `suggest` (default) proposes and always requires approval;
 * `off` refuses every proposal. `auto` also runs, without approval, the actions marked
 * `unattended` that earned their record for the incident's alert rule: `autoAfterVerifiedRuns`
 * approved runs in a row that verified (a failure or rollback starts the count again), outside the
 * `freezes`, within the same guardrails, rate limits and kill switch.
 */
export const remediationPolicySchema = z
  .object({
    mode: z.enum(['off', 'suggest', 'auto']).default('suggest'),
    /** Change-freeze windows: no unattended run starts inside one. */
    freezes: z.array(freezeWindow).default([]),
    /** How long a proposal may wait for its approvals. */
    approvalTtl: durationMs({ min: MINUTE, max: 24 * 60 * MINUTE }).default(15 * MINUTE),
    /** How long verification may take before it counts as failed. */
    verifyTimeout: durationMs({ min: 1000, max: 60 * MINUTE }).default(5 * MINUTE),
    /** Who may turn remediation off and on (`/remediation off|on`), the global kill switch. */
    killSwitch: personPrincipals.default(['group:oncall']),
    /** Named groups of platform-qualified user ids. */
    groups: z.record(z.string(), z.array(principal)).default({}),
    actions: z.record(z.string(), actionRule).default({}),
    guardrails: guardrails.prefault({}),
    gpuReset: gpuResetSettings.prefault({}),
    /**
     * Alert kind → actions the incident card suggests. For ECC and XID incidents whose alerts carry
     * an XID, the XID knowledge decides instead (remediation/xid-remediations.ts: reboot for 79,
     * drain and reset for 48 with 63/64, replacement once an XID repeats); these apply without one.
     */
    suggestions: z.partialRecord(alertKind, z.array(suggestion)).default({
      'aoai-throttling': [
        { action: 'shift-traffic', params: { percent: 50 }, title: 'Shift traffic to secondary' },
      ],
      'gpu-memory': [{ action: 'scale-replicas', params: { deployment: 'llm-api' } }],
      'gpu-temperature': [{ action: 'reduce-batch-size', params: {} }],
      'gpu-ecc': [{ action: 'cordon-node', params: {} }],
      'gpu-xid': [{ action: 'cordon-node', params: {} }],
      // The incident's model and version pick the Deployment and the revision (see rollback-deployment).
      'latency-slo': [{ action: 'rollback-deployment', params: {} }],
      // The drift detector names the version whose answers got worse: the rollback leaves it.
      'model-regression': [{ action: 'rollback-deployment', params: {} }],
    }),
    /** The record an action needs per alert rule before it runs unattended: approved runs in a row that verified. */
    autoAfterVerifiedRuns: z.number().int().min(1).default(5),
    /**
     * The AKS cluster whose node pools scale-node-pool may change; the subscription comes from
     * AZURE_SUBSCRIPTION_ID unless given here. Without it (or a subscription) the action explains.
     */
    aks: z
      .object({
        subscriptionId: z
          .string()
          .regex(/^[0-9a-fA-F-]{36}$/, 'must be a subscription id (UUID)')
          .optional(),
        resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/, 'must be a resource group name'),
        cluster: z.string().regex(/^[a-zA-Z0-9][-_a-zA-Z0-9]{0,62}$/, 'must be an AKS cluster name'),
      })
      .strict()
      .optional(),
    /**
     * The API Management instance of the AI gateway whose backend pools shift-backend-pool may
     * change, and those pools: only the pools named here, each with its primary member (the
     * backend that keeps at least `guardrails.minPrimaryWeight` % of the traffic). The
     * subscription comes from AZURE_SUBSCRIPTION_ID unless given here.
     */
    apim: apimPolicy.optional(),
  })
  .strict()
  .refine((p) => p.mode !== 'auto' || Object.values(p.actions).some((a) => a.unattended), {
    path: ['mode'],
    message:
      'auto runs only the actions marked unattended: true under actions, and none is, so auto would do nothing. Mark the actions that may run unattended, or use suggest',
  });

export type RemediationPolicy = z.infer<typeof remediationPolicySchema>;

/** The freeze in force at `now`, if any. */
export function freezeAt(policy: RemediationPolicy, now: number): FreezeWindow | undefined {
  return policy.freezes.find((w) => w.from <= now && now < w.to);
}

/** The remediation policy when the policy file has no `remediation` section. */
export function defaultRemediationPolicy(): RemediationPolicy {
  return remediationPolicySchema.parse({});
}

/**
 * Parses the remediation section of the policy file (or `{}` for the defaults); a bad section is
 * a {@link ConfigError} naming each problem, like the rest of the configuration.
 */
export function parseRemediationPolicy(raw: unknown): RemediationPolicy {
  const parsed = remediationPolicySchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, 'policy file: remediation'));
  return parsed.data;
}

/** The rule for one action: the policy's entry, or the defaults. */
export function ruleFor(policy: RemediationPolicy, actionId: string): ActionRule {
  return policy.actions[actionId] ?? actionRule.parse({});
}

/** Whether a user id is one of the principals (directly or through a group). */
export function isAllowed(policy: RemediationPolicy, userId: string, principals: readonly string[]): boolean {
  return principals.some((p) =>
    p.startsWith('group:') ? (policy.groups[p.slice(6)] ?? []).includes(userId) : p === userId,
  );
}

/** Matches `kind/name` against a guardrail pattern with `*` wildcards. */
export function matchesResource(pattern: string, kindName: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(kindName);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
