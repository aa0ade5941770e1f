import { z } from 'zod';
import { UserFacingError } from '../../core/errors.ts';
import type { Plan } from '../../core/remediation/plan.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import { guardrailBreach } from '../errors.ts';
import type { AgentPool, AgentPoolApi } from '../executors/azure.ts';
import { checkResource } from '../guard.ts';

const params = z.object({
  /** AKS agent pool name (ARM: lower case, up to 12 characters). */
  pool: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, 'must be an AKS node pool name such as gpu'),
  count: z.coerce.number().int().min(0),
});

/** `field` is what is written: `count` for a manual pool, `minCount` when the autoscaler runs it. */
const state = z.object({
  field: z.enum(['count', 'minCount']),
  count: z.number().int(),
  minCount: z.number().int().nullable(),
  maxCount: z.number().int().nullable(),
});
type State = z.infer<typeof state>;

function poolsOf(ctx: ActionContext): AgentPoolApi {
  if (!ctx.nodePools)
    throw new UserFacingError(
      'AZURE_NOT_CONFIGURED',
      'Node-pool scaling needs the AKS cluster (subscription, resource group, cluster) and an Azure identity configured.',
    );
  return ctx.nodePools;
}

function stateOf(pool: AgentPool): State {
  const p = pool.properties;
  return {
    field: p.enableAutoScaling ? 'minCount' : 'count',
    count: p.count,
    minCount: p.minCount ?? null,
    maxCount: p.maxCount ?? null,
  };
}

function describe(s: State): string {
  return s.field === 'minCount'
    ? `autoscaler min ${s.minCount}, max ${s.maxCount} (now ${s.count} nodes)`
    : `${s.count} nodes`;
}

async function write(plan: Plan, ctx: ActionContext, dryRun: boolean): Promise<StepResult> {
  const api = poolsOf(ctx);
  const desired = state.parse(plan.desired);
  const t = plan.targets[0]!;
  const pool = await api.get(t.name);
  // ARM has no dry run for agent pools: the dry run re-reads and checks what the PUT would rely on.
  if (dryRun) {
    const busy = pool.properties.provisioningState && pool.properties.provisioningState !== 'Succeeded';
    const changed = (pool.properties.eTag ?? '') !== t.resourceVersion;
    return {
      ok: !busy && !changed,
      detail: [
        busy
          ? `pool is ${pool.properties.provisioningState}`
          : changed
            ? 'pool changed since it was read'
            : 'pool ready; no ARM dry run exists for agent pools, state and bounds validated',
      ],
    };
  }
  const properties = {
    ...pool.properties,
    [desired.field]: desired.field === 'count' ? desired.count : desired.minCount,
  };
  const next = await api.put(t.name, properties, t.resourceVersion || undefined);
  return {
    ok: true,
    detail: [`agent pool ${t.name}: ${describe(stateOf(next))}, ${next.properties.provisioningState ?? ''}`],
  };
}

/** Scale an AKS node pool (GPU capacity for queue depth), within the pool's min/max and the policy. */
export const scaleNodePool = defineAction({
  id: 'scale-node-pool',
  title: 'Scale AKS node pool',
  risk: 'high',
  description: 'Change the node count of an AKS agent pool (its autoscaler minimum when autoscaling).',
  params,
  async plan(p, ctx) {
    checkResource(ctx.guardrails, 'agentpools', p.pool);
    const pool = await poolsOf(ctx).get(p.pool);
    const current = stateOf(pool);
    const g = ctx.guardrails;
    if (pool.properties.provisioningState && pool.properties.provisioningState !== 'Succeeded')
      throw guardrailBreach(
        `pool ${p.pool} is ${pool.properties.provisioningState}; try again when it settles`,
      );
    if (p.count > g.maxNodeCount)
      throw guardrailBreach(`${p.count} nodes is above the maximum of ${g.maxNodeCount}`);
    const from = current.field === 'minCount' ? (current.minCount ?? current.count) : current.count;
    if (Math.abs(p.count - from) > g.maxNodeStep)
      throw guardrailBreach(
        `changing ${from} → ${p.count} nodes is a step of ${Math.abs(p.count - from)}; the maximum is ${g.maxNodeStep}`,
      );
    if (current.maxCount !== null && p.count > current.maxCount)
      throw guardrailBreach(`${p.count} nodes is above the pool's maxCount of ${current.maxCount}`);
    if (current.field === 'count' && current.minCount !== null && p.count < current.minCount)
      throw guardrailBreach(`${p.count} nodes is below the pool's minCount of ${current.minCount}`);
    if (p.count === from) throw guardrailBreach(`pool ${p.pool} is already at ${from}`);
    const desired: State =
      current.field === 'minCount' ? { ...current, minCount: p.count } : { ...current, count: p.count };
    return {
      actionId: 'scale-node-pool',
      params: p,
      summary: `Scale AKS node pool ${p.pool}: ${describe(current)} → ${describe(desired)}`,
      targets: [
        { kind: 'AgentPool', namespace: null, name: p.pool, resourceVersion: pool.properties.eTag ?? '' },
      ],
      current,
      desired,
      diff: [`agent pool ${p.pool} ${current.field} ${from} → ${p.count}`],
      rollback: {
        description: `Scale ${p.pool} back to ${from}`,
        action: 'scale-node-pool',
        params: { pool: p.pool, count: from },
      },
      notes: ['New GPU nodes take several minutes to join; verification waits for the pool to settle.'],
    };
  },
  dryRun: (plan, ctx) => write(plan, ctx, true),
  apply: (plan, ctx) => write(plan, ctx, false),
  async verify(plan, ctx, deadline) {
    const desired = state.parse(plan.desired);
    const name = plan.targets[0]!.name;
    return pollUntil(
      ctx,
      deadline,
      async () => {
        const pool = await poolsOf(ctx).get(name);
        const now = stateOf(pool);
        const settled = pool.properties.provisioningState === 'Succeeded';
        const reached =
          desired.field === 'count' ? now.count === desired.count : now.count >= (desired.minCount ?? 0);
        return {
          ok: settled && reached,
          detail: [`agent pool ${name}: ${describe(now)}, ${pool.properties.provisioningState ?? 'unknown'}`],
        };
      },
      15_000,
    );
  },
});
