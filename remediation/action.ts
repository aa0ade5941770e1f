import type { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import type { Plan, PlanInput } from '../core/remediation/plan.ts';
import type { Risk, StepResult } from '../core/remediation/proposal.ts';
import type { BackendPoolApi } from './executors/apim-backends.ts';
import type { AgentPoolApi } from './executors/azure.ts';
import type { GpuEvidenceReader } from './executors/gpu-evidence.ts';
import type { KubeClients } from './executors/kubernetes.ts';
import type { ScaleSetVmApi } from './executors/scale-set-vms.ts';
import type { ThrottleReader } from './executors/throttle-rate.ts';
import type { TicketFiler } from './executors/ticket-webhook.ts';
import type { ApimPolicy, GpuResetSettings, Guardrails } from './policy.ts';

/** Actions speak of these as part of their own contract. */
export type { Risk, StepResult };

/** The ports the GPU actions use beyond the cluster (reboot-node, file-gpu-replacement); each optional. */
export interface GpuRemediationPorts {
  nodeVms?: ScaleSetVmApi | undefined;
  gpuEvidence?: GpuEvidenceReader | undefined;
  tickets?: TicketFiler | undefined;
}

/** What actions may use: the cluster clients, the guardrails, time. */
export interface ActionContext {
  kube: KubeClients;
  /** AKS agent pools of the configured cluster; absent when Azure is not configured. */
  nodePools?: AgentPoolApi;
  /** The VM scale set instances behind AKS nodes (reboot-node); absent when Azure is not configured. */
  nodeVms?: ScaleSetVmApi;
  /** The AI gateway's API Management backend pools (shift-backend-pool); absent when not configured. */
  backendPools?: BackendPoolApi;
  /** The pools the policy lets shift-backend-pool change, with their primaries (`remediation.apim.pools`). */
  apimPools?: ApimPolicy['pools'];
  /** The 429 rate of Azure OpenAI traffic (shift-traffic verifies it drops); absent without logs. */
  throttle?: ThrottleReader;
  /** The 429 rate as the Azure OpenAI resource counts it (Azure Monitor metrics); absent without them. */
  resourceThrottle?: ThrottleReader;
  /** One GPU's XID, ECC and remap history with its serial (file-gpu-replacement); absent without metrics. */
  gpuEvidence?: GpuEvidenceReader;
  /** The ticket webhook (file-gpu-replacement); absent when none is configured. */
  tickets?: TicketFiler;
  guardrails: Guardrails;
  /** How drain-and-reset-gpu's reset Job is built (the policy's `gpuReset`). */
  gpuReset: GpuResetSettings;
  clock: Clock;
  /** Waits between verification polls; tests pass one that advances a manual clock. */
  sleep(ms: number): Promise<void>;
}

/**
 * One remediation: it declares what it will do (`plan`, which only reads) before it does it.
 * `dryRun` sends the same writes with `dryRun=All`; `apply` writes with the resource versions the
 * plan read (a changed target fails with 409); `verify` polls until the effect shows or the
 * deadline passes.
 */
export interface RemediationAction<S extends z.ZodType = z.ZodType> {
  id: string;
  title: string;
  risk: Risk;
  description: string;
  params: S;
  /** Reads current state, checks guardrails (throws a user-facing GUARDRAIL error) and plans. */
  plan(params: z.output<S>, ctx: ActionContext): Promise<PlanInput>;
  dryRun(plan: Plan, ctx: ActionContext): Promise<StepResult>;
  apply(plan: Plan, ctx: ActionContext): Promise<StepResult>;
  verify(plan: Plan, ctx: ActionContext, deadline: number): Promise<StepResult>;
}

/** Erases an action's parameter type so differently-typed actions fit in one list. */
export function defineAction<S extends z.ZodType>(action: RemediationAction<S>): RemediationAction {
  return action as unknown as RemediationAction;
}

/** Polls `check` until it passes or the (injected) clock passes the deadline. */
export async function pollUntil(
  ctx: ActionContext,
  deadline: number,
  check: () => Promise<StepResult>,
  intervalMs = 2_000,
): Promise<StepResult> {
  for (;;) {
    const result = await check();
    if (result.ok || ctx.clock.now() >= deadline) return result;
    await ctx.sleep(Math.min(intervalMs, Math.max(1, deadline - ctx.clock.now())));
  }
}
