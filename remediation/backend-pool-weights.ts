import { z } from 'zod';
import { shiftWeights } from './actions/shift-traffic.ts';
import { guardrailBreach } from './errors.ts';
import { type BackendPool, memberBackend } from './executors/apim-backends.ts';

/**
 * How an API Management backend pool splits traffic, and the pure planning of a change to it
 * (shift-backend-pool). The gateway sends every request to the priority group with the lowest
 * priority number whose backends are available, and splits it inside that group by weight. An
 * unset priority or weight counts as 1, the service's default. A share here is the percentage of
 * traffic a member gets while every member is healthy.
 */

/** One member as the bot plans it: the backend id with the ARM id the pool lists it by. */
export const member = z.object({
  backend: z.string(),
  id: z.string(),
  priority: z.number().int().min(0).max(100).nullable(),
  weight: z.number().int().min(0).max(100).nullable(),
});
export type Member = z.infer<typeof member>;

const effective = (n: number | null): number => n ?? 1;

/** The pool's members by backend id; a member whose id names no backend is refused. */
export function membersOf(pool: BackendPool): Member[] {
  if (!pool.services.length) throw guardrailBreach(`pool ${pool.name} has no member backends`);
  return pool.services.map((s) => {
    const backend = memberBackend(s.id);
    if (!backend) throw guardrailBreach(`pool ${pool.name} lists "${s.id}", which is not a backend id`);
    return { backend, id: s.id, priority: s.priority, weight: s.weight };
  });
}

/** The priority number that gets traffic while everything is healthy. */
export function topPriority(members: readonly Member[]): number {
  return Math.min(...members.map((m) => effective(m.priority)));
}

/** Each member's share of the traffic in percent (rounded to one decimal). */
export function sharesOf(members: readonly Member[]): Record<string, number> {
  const top = topPriority(members);
  const group = members.filter((m) => effective(m.priority) === top);
  const total = group.reduce((sum, m) => sum + effective(m.weight), 0);
  return Object.fromEntries(
    members.map((m) => {
      const inGroup = effective(m.priority) === top;
      const share = !inGroup ? 0 : total > 0 ? (100 * effective(m.weight)) / total : 100 / group.length;
      return [m.backend, Math.round(share * 10) / 10];
    }),
  );
}

/**
 * Gives `to` `percent` of the traffic: it joins the top priority group if it was only a fallback,
 * and the other members of that group share the rest in proportion to their weights today.
 * Members of lower priority groups keep their settings.
 */
export function shiftPool(members: readonly Member[], to: string, percent: number): Member[] {
  const target = members.find((m) => m.backend === to);
  if (!target) throw guardrailBreach(`"${to}" is not in the pool; members: ${names(members)}`);
  const top = topPriority(members);
  const group = members.filter((m) => effective(m.priority) === top || m.backend === to);
  const current = Object.fromEntries(
    group.map((m) => [m.backend, m === target && effective(m.priority) !== top ? 0 : effective(m.weight)]),
  );
  const next = shiftWeights(current, to, percent);
  return members.map((m) =>
    m.backend in next
      ? {
          ...m,
          weight: next[m.backend]!,
          priority: m.backend === to && effective(m.priority) !== top ? top : m.priority,
        }
      : m,
  );
}

/** Sets exact weights and priorities (the rollback's restore); `null` unsets one. */
export function setPool(
  members: readonly Member[],
  weights: Record<string, number | null>,
  priorities: Record<string, number | null>,
): Member[] {
  const unknown = [...Object.keys(weights), ...Object.keys(priorities)].filter(
    (k) => !members.some((m) => m.backend === k),
  );
  if (unknown.length)
    throw guardrailBreach(`${unknown.join(', ')} not in the pool; members: ${names(members)}`);
  return members.map((m) => ({
    ...m,
    weight: m.backend in weights ? weights[m.backend]! : m.weight,
    priority: m.backend in priorities ? priorities[m.backend]! : m.priority,
  }));
}

/** What the policy allows one plan: the primary keeps `minPrimaryShare` %, at most `maxShift` points move. */
export interface PoolLimits {
  primary: string;
  minPrimaryShare: number;
  maxShift: number;
}

/** Refuses a desired state the guardrails do not allow; returns the shares before and after. */
export function checkPoolChange(
  current: readonly Member[],
  desired: readonly Member[],
  limits: PoolLimits,
): { before: Record<string, number>; after: Record<string, number> } {
  if (!current.some((m) => m.backend === limits.primary))
    throw guardrailBreach(`the primary ${limits.primary} named in the policy is not in the pool`);
  const top = topPriority(desired);
  if (!desired.some((m) => effective(m.priority) === top && effective(m.weight) > 0))
    throw guardrailBreach('no backend of the first priority group would keep a weight above 0');
  const before = sharesOf(current);
  const after = sharesOf(desired);
  const primaryShare = after[limits.primary] ?? 0;
  if (primaryShare < limits.minPrimaryShare)
    throw guardrailBreach(
      `the primary ${limits.primary} would keep ${primaryShare}% of the traffic; the minimum is ${limits.minPrimaryShare}%`,
    );
  const moved = Math.max(...current.map((m) => Math.abs((after[m.backend] ?? 0) - (before[m.backend] ?? 0))));
  if (moved > limits.maxShift)
    throw guardrailBreach(`moving ${moved} points of traffic exceeds the maximum of ${limits.maxShift}`);
  const same = current.every(
    (m, i) => m.weight === desired[i]?.weight && m.priority === desired[i]?.priority,
  );
  if (same) throw guardrailBreach('the pool already has these weights and priorities');
  return { before, after };
}

/** `aoai-eastus2: priority 1, weight 100 → 50 (100% → 50% of traffic)` per member that changes or carries traffic. */
export function diffPool(current: readonly Member[], desired: readonly Member[]): string[] {
  const before = sharesOf(current);
  const after = sharesOf(desired);
  return current.map((m, i) => {
    const d = desired[i]!;
    const field = (label: string, a: number | null, b: number | null) =>
      a === b ? `${label} ${show(a)}` : `${label} ${show(a)} → ${show(b)}`;
    return `${m.backend}: ${field('priority', m.priority, d.priority)}, ${field('weight', m.weight, d.weight)} (${before[m.backend]}% → ${after[m.backend]}% of traffic)`;
  });
}

/** `aoai-eastus2 50%, aoai-swedencentral 50%`. */
export function describeShares(members: readonly Member[]): string {
  const shares = sharesOf(members);
  return members.map((m) => `${m.backend} ${shares[m.backend]}%`).join(', ');
}

function show(n: number | null): string {
  return n === null ? 'unset' : String(n);
}

function names(members: readonly Member[]): string {
  return members.map((m) => m.backend).join(', ');
}
