import { z } from 'zod';

/**
 * The cost section of the policy file: what a GPU-hour costs per GPU model, which team owns each
 * Kubernetes namespace (GPU-hours are counted per namespace from the DCGM exporter's pod labels),
 * and the budgets that spend is held against. Token prices are the policy's `pricing` table (USD
 * per 1,000 tokens per deployment, `queries/kql/cost-per-team.ts`). Every amount is in `currency`.
 */

/** A GPU model as the DCGM exporter names it in `modelName` (`NVIDIA H100 80GB HBM3`). */
const gpuSku = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._()-]*$/, 'a GPU model as DCGM reports it, like "NVIDIA H100 80GB HBM3"');

/** A Kubernetes namespace name (RFC 1123 label). */
const namespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace, like ml-train');

/** A team name as telemetry carries it in `Properties["team"]`. */
export const teamName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a team name of letters, digits, ".", "_" and "-" (≤ 64)');

/** A model deployment name as telemetry carries it in `Properties["deployment"]`. */
export const deploymentNameText = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a deployment name of letters, digits, ".", "_" and "-" (≤ 64)',
  );

/**
 * Reviewed default GPU-hour prices (USD, pay-as-you-go, one GPU of an 8-GPU Azure VM: ND H100 v5
 * and ND A100 v4 list prices divided by 8). Put your negotiated or reserved rates in the policy.
 */
export const DEFAULT_GPU_HOUR_PRICES: Readonly<Record<string, number>> = {
  'NVIDIA H100 80GB HBM3': 12.29,
  'NVIDIA A100-SXM4-80GB': 4.1,
};

/** One budget: an amount per day or per calendar month (UTC), for everything, one team or one deployment. */
export const budgetSchema = z
  .object({
    /** Names the budget on cards and in the incidents it opens. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'a short lower-case name, like support-monthly'),
    period: z.enum(['daily', 'monthly']),
    /** In the policy's currency; spend is compared with it. */
    amount: z.number().positive().max(1e9),
    /** A team's budget: its tokens (by `Properties["team"]`) and the GPU-hours of its namespaces. */
    team: teamName.optional(),
    /** A deployment's budget: the tokens of that model deployment. */
    deployment: deploymentNameText.optional(),
  })
  .strict()
  .refine((b) => !(b.team && b.deployment), {
    message: 'a budget is for everything, one team or one deployment: give team or deployment, not both',
    path: ['deployment'],
  });
export type Budget = z.infer<typeof budgetSchema>;

/** What a budget counts: `total` (everything), one team, or one deployment. */
export function budgetScope(
  b: Budget,
): { kind: 'total' } | { kind: 'team'; team: string } | { kind: 'deployment'; deployment: string } {
  if (b.team) return { kind: 'team', team: b.team };
  if (b.deployment) return { kind: 'deployment', deployment: b.deployment };
  return { kind: 'total' };
}

export const costPolicySchema = z
  .object({
    /** ISO code of every amount in this section and in `pricing`. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code, like USD')
      .default('USD'),
    /** Price of one GPU-hour per GPU model (DCGM `modelName`); GPUs of models not listed are shown unpriced. */
    gpuHourPrices: z
      .record(gpuSku, z.number().nonnegative().max(10_000))
      .refine((r) => Object.keys(r).length <= 50, 'at most 50 GPU models')
      .default({ ...DEFAULT_GPU_HOUR_PRICES }),
    /** Namespace → team: whose GPU-hours a namespace's pods are. Unmapped namespaces are shown as such. */
    teams: z
      .record(namespaceName, teamName)
      .refine((r) => Object.keys(r).length <= 500, 'at most 500 namespaces')
      .default({}),
    budgets: z
      .array(budgetSchema)
      .max(200)
      .default([])
      .refine((bs) => new Set(bs.map((b) => b.name)).size === bs.length, {
        message: 'budget names must be unique',
      }),
  })
  .strict();
export type CostPolicy = z.infer<typeof costPolicySchema>;

/** The team owning a namespace, per the policy, or undefined when the policy does not say. */
export function teamOfNamespace(policy: Pick<CostPolicy, 'teams'>, namespace: string): string | undefined {
  return Object.hasOwn(policy.teams, namespace) ? policy.teams[namespace] : undefined;
}
