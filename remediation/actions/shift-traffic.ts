import { z } from 'zod';
import type { Plan } from '../../core/remediation/plan.ts';
import { type ActionContext, defineAction, pollUntil, type StepResult } from '../action.ts';
import { guardrailBreach } from '../errors.ts';
import { dryRunParam, kubeCall, mergePatch } from '../executors/kubernetes.ts';
import { type ThrottleCount, throttlePercent } from '../executors/throttle-rate.ts';
import { checkNamespace, checkResource, k8sName } from '../guard.ts';

/**
 * The routing contract with the AI gateway (also what `sim/kube/seed.ts` serves):
 *
 * - ConfigMap `aoai-gateway-routing` in namespace `ml` (both overridable by parameters).
 * - key `weights`: a JSON object mapping an Azure OpenAI deployment, named `<model>-<region>`
 *   (e.g. `gpt-4o-eastus2`), to an integer weight 0–100; the weights sum to 100.
 * - keys `primary` and `secondary`: the deployment names traffic normally goes to and fails over to.
 * - The gateway watches the ConfigMap and applies new weights to new requests within seconds;
 *   a `weights` value that is not valid JSON or does not sum to 100 is ignored by the gateway
 *   (it keeps the last good weights), so this action never writes one.
 * - The bot writes only `weights`, always with the resourceVersion it read (409 if it changed).
 */
export const ROUTING_KEY = 'weights';

const weights = z.record(z.string().min(1), z.number().int().min(0).max(100));
type Weights = z.infer<typeof weights>;

const params = z
  .object({
    namespace: k8sName.default('ml'),
    configMap: k8sName.default('aoai-gateway-routing'),
    /** Deployment that receives `percent` of the traffic (default: the ConfigMap's `secondary`). */
    to: z.string().min(1).optional(),
    percent: z.coerce.number().int().min(0).max(100).optional(),
    /** Exact weights to set instead (used by the rollback). */
    weights: weights.optional(),
  })
  .refine((p) => (p.percent === undefined) !== (p.weights === undefined), {
    message: 'give either percent (with an optional to=<deployment>) or weights',
  });

const state = z.object({ weights });

function parseWeights(text: string | undefined): Weights {
  const parsed = weights.safeParse(JSON.parse(text ?? '{}'));
  if (!parsed.success) throw guardrailBreach('the routing ConfigMap does not hold valid weights');
  return parsed.data;
}

/** Gives `to` its percent and shares the rest among the others in proportion to today's weights. */
export function shiftWeights(current: Weights, to: string, percent: number): Weights {
  const others = Object.keys(current).filter((k) => k !== to);
  const rest = 100 - percent;
  const base = others.reduce((sum, k) => sum + (current[k] ?? 0), 0);
  const next: Weights = { [to]: percent };
  let given = 0;
  others.forEach((k, i) => {
    const share = base > 0 ? Math.floor((rest * (current[k] ?? 0)) / base) : i === 0 ? rest : 0;
    next[k] = share;
    given += share;
  });
  const first = others.find((k) => (current[k] ?? 0) > 0) ?? others[0];
  if (first !== undefined) next[first] = (next[first] ?? 0) + rest - given;
  return Object.fromEntries(Object.keys(current).map((k) => [k, next[k] ?? 0]));
}

function describe(w: Weights): string {
  return Object.entries(w)
    .map(([k, v]) => `${k} ${v}%`)
    .join(', ');
}

async function write(plan: Plan, ctx: ActionContext, dryRun: boolean): Promise<StepResult> {
  const desired = state.parse(plan.desired);
  const t = plan.targets[0]!;
  const cm = await kubeCall('patch routing ConfigMap', () =>
    ctx.kube.core.patchNamespacedConfigMap(
      {
        name: t.name,
        namespace: t.namespace ?? '',
        body: {
          metadata: { resourceVersion: t.resourceVersion },
          data: { [ROUTING_KEY]: JSON.stringify(desired.weights) },
        },
        ...dryRunParam(dryRun),
      },
      mergePatch,
    ),
  );
  return { ok: true, detail: [`${t.name}: ${describe(parseWeights(cm.data?.[ROUTING_KEY]))}`] };
}

/** Shift Azure OpenAI traffic between deployments through the gateway's routing ConfigMap. */
export const shiftTraffic = defineAction({
  id: 'shift-traffic',
  title: 'Shift Azure OpenAI traffic',
  risk: 'medium',
  description: 'Move a share of Azure OpenAI traffic to another deployment (gateway routing weights).',
  params,
  async plan(p, ctx) {
    checkNamespace(ctx.guardrails, p.namespace);
    checkResource(ctx.guardrails, 'configmaps', p.configMap);
    const cm = await kubeCall('read routing ConfigMap', () =>
      ctx.kube.core.readNamespacedConfigMap({ name: p.configMap, namespace: p.namespace }),
    );
    const current = parseWeights(cm.data?.[ROUTING_KEY]);
    let desired: Weights;
    if (p.weights) {
      desired = p.weights;
    } else {
      const to = p.to ?? cm.data?.secondary;
      if (!to || !(to in current))
        throw guardrailBreach(
          `"${to ?? '(none)'}" is not a deployment in ${p.configMap}; known: ${Object.keys(current).join(', ')}`,
        );
      desired = shiftWeights(current, to, p.percent ?? 0);
    }
    const unknown = Object.keys(desired).filter((k) => !(k in current));
    if (unknown.length) throw guardrailBreach(`unknown deployments ${unknown.join(', ')}`);
    const sum = Object.values(desired).reduce((a, b) => a + b, 0);
    if (sum !== 100) throw guardrailBreach(`weights must sum to 100, not ${sum}`);
    const moved = Math.max(
      ...Object.keys(current).map((k) => Math.abs((desired[k] ?? 0) - (current[k] ?? 0))),
    );
    if (moved > ctx.guardrails.maxTrafficShift)
      throw guardrailBreach(
        `moving ${moved} points of traffic exceeds the maximum of ${ctx.guardrails.maxTrafficShift}`,
      );
    return {
      actionId: 'shift-traffic',
      params: p,
      summary: `Route Azure OpenAI traffic ${describe(desired)}`,
      targets: [
        {
          kind: 'ConfigMap',
          namespace: p.namespace,
          name: p.configMap,
          resourceVersion: cm.metadata?.resourceVersion ?? '',
        },
      ],
      current: { weights: current },
      desired: { weights: desired },
      diff: Object.keys(current).map((k) => `${k}: ${current[k]}% → ${desired[k] ?? 0}%`),
      rollback: {
        description: `Restore weights ${describe(current)}`,
        action: 'shift-traffic',
        params: { namespace: p.namespace, configMap: p.configMap, weights: current },
      },
    };
  },
  dryRun: (plan, ctx) => write(plan, ctx, true),
  apply: (plan, ctx) => write(plan, ctx, false),
  async verify(plan, ctx, deadline) {
    const want = state.parse(plan.desired).weights;
    const t = plan.targets[0]!;
    // Verification starts right after the write: whole minutes before it are the baseline.
    const shiftedAt = ctx.clock.now();
    const baseline = ctx.throttle && (await ctx.throttle.count(baselineRange(shiftedAt)));
    return pollUntil(
      ctx,
      deadline,
      async () => {
        const cm = await kubeCall('read routing ConfigMap', () =>
          ctx.kube.core.readNamespacedConfigMap({ name: t.name, namespace: t.namespace ?? '' }),
        );
        const now = parseWeights(cm.data?.[ROUTING_KEY]);
        const applied = Object.keys(want).every((k) => now[k] === want[k]);
        const weightsLine = `gateway weights now ${describe(now)}`;
        if (!applied || !ctx.throttle || !baseline) {
          const note = ctx.throttle ? [] : ['429 rate not checked: no logs backend configured'];
          return { ok: applied, detail: [weightsLine, ...note] };
        }
        const since = await ctx.throttle.count(afterRange(shiftedAt, ctx.clock.now()));
        const judged = judgeThrottle(baseline, since);
        return { ok: judged.ok, detail: [weightsLine, ...judged.detail] };
      },
      ctx.throttle ? 15_000 : 2_000,
    );
  },
});

const MINUTE = 60_000;
/** How far back the 429 rate before the shift is measured. */
const BASELINE_MS = 10 * MINUTE;
/** Fewer requests than this after the shift say nothing yet. */
const MIN_REQUESTS = 20;

/** Complete one-minute buckets in the ten minutes before the shift. */
export function baselineRange(at: number): { from: number; to: number } {
  const to = Math.floor(at / MINUTE) * MINUTE;
  return { from: to - BASELINE_MS, to };
}

/** Complete one-minute buckets that started after the shift. */
export function afterRange(at: number, now: number): { from: number; to: number } {
  return { from: Math.ceil(at / MINUTE) * MINUTE, to: Math.floor(now / MINUTE) * MINUTE };
}

/**
 * The shift worked when the 429 rate since is at least a quarter below the rate before it, or
 * under 1% (nothing left to drop). Without traffic before the shift there is nothing to compare.
 */
export function judgeThrottle(before: ThrottleCount, after: ThrottleCount): StepResult {
  const was = throttlePercent(before);
  const is = throttlePercent(after);
  if (was === undefined) return { ok: true, detail: ['429 rate not compared: no requests before the shift'] };
  if (is === undefined || after.requests < MIN_REQUESTS)
    return { ok: false, detail: [`429 rate was ${pct(was)}; waiting for traffic after the shift`] };
  const ok = is < 1 || is <= was * 0.75;
  return {
    ok,
    detail: [
      `429 rate ${pct(was)} → ${pct(is)} (${after.requests} requests since)${ok ? '' : ', not dropping'}`,
    ],
  };
}

function pct(n: number): string {
  return `${n.toFixed(1)}%`;
}
