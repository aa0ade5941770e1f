import { z } from 'zod';
import { UserFacingError } from '../../core/errors.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import {
  checkPoolChange,
  describeShares,
  diffPool,
  type Member,
  member,
  membersOf,
  setPool,
  shiftPool,
} from '../backend-pool-weights.ts';
import { guardrailBreach } from '../errors.ts';
import { type BackendPoolApi, backendName } from '../executors/apim-backends.ts';
import type { ThrottleReader } from '../executors/throttle-rate.ts';
import { afterRange, baselineRange, judgeThrottle } from './shift-traffic.ts';

const setting = z.record(backendName, z.number().int().min(0).max(100).nullable());

const params = z
  .object({
    /** The backend of type Pool the gateway's API routes to (`set-backend-service backend-id`). */
    pool: backendName,
    /** Member backend that receives `percent` of the traffic (default: the first one besides the primary). */
    to: backendName.optional(),
    percent: z.coerce.number().int().min(0).max(100).optional(),
    /** Exact weights and priorities per member backend (the rollback's restore). */
    weights: setting.optional(),
    priorities: setting.optional(),
  })
  .refine((p) => (p.percent === undefined) !== (p.weights === undefined && p.priorities === undefined), {
    message: 'give either percent (with an optional to=<backend>) or exact weights/priorities',
  });

const state = z.object({ members: z.array(member) });

function poolsOf(ctx: ActionContext): BackendPoolApi {
  if (!ctx.backendPools)
    throw new UserFacingError(
      'AZURE_NOT_CONFIGURED',
      'Shifting traffic in an API Management backend pool needs remediation.apim in the policy (resource group, service, pools), AZURE_SUBSCRIPTION_ID and an Azure identity.',
    );
  return ctx.backendPools;
}

function primaryOf(ctx: ActionContext, pool: string): string {
  const pools = ctx.apimPools ?? {};
  const rule = pools[pool];
  if (!rule) {
    const allowed = Object.keys(pools);
    throw guardrailBreach(
      `backend pool "${pool}" is not one the policy allows${allowed.length ? ` (${allowed.join(', ')})` : ''}`,
    );
  }
  return rule.primary;
}

function sameSettings(now: readonly Member[], want: readonly Member[]): boolean {
  return want.every((w) => {
    const m = now.find((x) => x.backend === w.backend);
    return m !== undefined && m.weight === w.weight && m.priority === w.priority;
  });
}

/**
 * Shift Azure OpenAI traffic the way the AI gateway balances it: the weights and priorities of an
 * API Management backend pool, written with the ETag the plan read (If-Match; 412 if it changed).
 */
export const shiftBackendPool = defineAction({
  id: 'shift-backend-pool',
  title: 'Shift traffic in the API Management backend pool',
  risk: 'medium',
  description:
    'Change the weights or priorities of the AI gateway’s API Management backend pool (which Azure OpenAI deployments get the traffic).',
  params,
  async plan(p, ctx) {
    const primary = primaryOf(ctx, p.pool);
    const api = poolsOf(ctx);
    const pool = await api.get(p.pool);
    const current = membersOf(pool);
    let desired: Member[];
    if (p.percent !== undefined) {
      const to = p.to ?? current.find((m) => m.backend !== primary)?.backend;
      if (!to) throw guardrailBreach(`pool ${p.pool} has no member besides the primary ${primary}`);
      desired = shiftPool(current, to, p.percent);
    } else {
      desired = setPool(current, p.weights ?? {}, p.priorities ?? {});
    }
    // Which Azure OpenAI endpoint each member sends to, for the approver (and: they all exist).
    const endpoints: string[] = [];
    for (const m of current) {
      const url = await api.backendUrl(m.backend);
      if (url === undefined)
        throw guardrailBreach(`pool member ${m.backend} is not a backend of ${api.service}`);
      endpoints.push(`${m.backend} → ${url ?? '(no URL)'}`);
    }
    checkPoolChange(current, desired, {
      primary,
      minPrimaryShare: ctx.guardrails.minPrimaryWeight,
      maxShift: ctx.guardrails.maxTrafficShift,
    });
    const byBackend = (pick: (m: Member) => number | null) =>
      Object.fromEntries(current.map((m) => [m.backend, pick(m)]));
    return {
      actionId: 'shift-backend-pool',
      params: p,
      summary: `Route the ${api.service} backend pool ${p.pool}: ${describeShares(desired)}`,
      targets: [
        { kind: 'ApiManagementBackendPool', namespace: null, name: p.pool, resourceVersion: pool.etag },
      ],
      current: { members: current },
      desired: { members: desired },
      diff: diffPool(current, desired),
      rollback: {
        description: `Restore ${describeShares(current)}`,
        action: 'shift-backend-pool',
        params: {
          pool: p.pool,
          weights: byBackend((m) => m.weight),
          priorities: byBackend((m) => m.priority),
        },
      },
      notes: [
        `Members: ${endpoints.join('; ')}`,
        `Written with If-Match on the ETag read (${pool.etag}); a pool changed meanwhile is planned again, never overwritten.`,
      ],
    };
  },
  async dryRun(plan, ctx): Promise<StepResult> {
    // API Management has no what-if for a backend: validate what the PATCH relies on instead.
    const api = poolsOf(ctx);
    const t = plan.targets[0]!;
    const desired = state.parse(plan.desired).members;
    const etag = await api.etag(t.name);
    const missing: string[] = [];
    for (const m of desired) if ((await api.backendUrl(m.backend)) === undefined) missing.push(m.backend);
    const detail = [
      etag === t.resourceVersion
        ? `pool ${t.name} unchanged since it was read (ETag ${etag})`
        : `pool ${t.name} changed since it was read (ETag ${t.resourceVersion} → ${etag})`,
      missing.length
        ? `member backends missing: ${missing.join(', ')}`
        : `all ${desired.length} member backends exist; API Management has no what-if for backends`,
    ];
    return { ok: etag === t.resourceVersion && missing.length === 0, detail };
  },
  async apply(plan, ctx): Promise<StepResult> {
    const t = plan.targets[0]!;
    const desired = state.parse(plan.desired).members;
    const next = await poolsOf(ctx).update(t.name, desired, t.resourceVersion);
    return {
      ok: true,
      detail: [`pool ${t.name} now ${describeShares(membersOf(next))} (ETag ${next.etag})`],
    };
  },
  async verify(plan, ctx, deadline) {
    const t = plan.targets[0]!;
    const want = state.parse(plan.desired).members;
    // A shift is meant to bring 429s down, in the app's logs and in the resource's own metrics; a
    // restore of exact settings (the rollback) only has to read back, since the traffic it returns
    // to the primary may well be throttled again.
    const shift = plan.params.percent !== undefined;
    const readers: [string, ThrottleReader][] = [];
    if (shift && ctx.throttle) readers.push(['app logs', ctx.throttle]);
    if (shift && ctx.resourceThrottle) readers.push(['resource metrics', ctx.resourceThrottle]);
    // Verification starts right after the write: whole minutes before it are the baseline.
    const shiftedAt = ctx.clock.now();
    const baselines = await Promise.all(readers.map(([, r]) => r.count(baselineRange(shiftedAt))));
    const unjudged = !shift
      ? '429 rate not judged: exact settings restored'
      : '429 rate not checked: neither a logs backend nor Azure Monitor metrics configured';
    return pollUntil(
      ctx,
      deadline,
      async () => {
        const now = membersOf(await poolsOf(ctx).get(t.name));
        const applied = sameSettings(now, want);
        const line = `backend pool ${t.name} reads ${describeShares(now)}`;
        if (!applied) return { ok: false, detail: [`${line}, not as planned`] };
        if (!readers.length) return { ok: true, detail: [line, unjudged] };
        const range = afterRange(shiftedAt, ctx.clock.now());
        const judged = await Promise.all(
          readers.map(async ([label, r], i) => ({
            label,
            ...judgeThrottle(baselines[i]!, await r.count(range)),
          })),
        );
        return {
          ok: judged.every((j) => j.ok),
          detail: [line, ...judged.flatMap((j) => j.detail.map((d) => `${j.label}: ${d}`))],
        };
      },
      readers.length ? 15_000 : 2_000,
    );
  },
});
