import { cardTime } from '../../cards/templates/format.ts';
import { BOT_ACTOR } from '../../core/alerts/timeline.ts';
import type { Repos } from '../../core/store.ts';
import type { PagingDeps } from './paging-deps.ts';

/** Who the paging steps name: the on-call source's levels 1 and 2, else the policy's chat rotation. */
export async function whoIsPaged(
  deps: PagingDeps,
  now: number,
): Promise<{ primary: string; secondary: string }> {
  try {
    const levels = (await deps.oncall?.levels(now)) ?? [];
    const primary = levels.find((l) => l.level === 1)?.now?.who;
    const secondary = levels.find((l) => l.level === 2)?.now?.who;
    if (primary) return { primary, secondary: secondary ?? 'the secondary on-call' };
  } catch (err) {
    // The page goes out regardless; the timeline then names the rotation by role.
    deps.logger.warn({ err, code: 'ONCALL_UNAVAILABLE' }, 'on-call source unavailable while paging');
  }
  const rota = Object.values(deps.policy.oncall)[0];
  return {
    primary: rota?.primary ?? 'the primary on-call',
    secondary: rota?.secondary ?? 'the secondary on-call',
  };
}

/** A paging step on the incident's timeline (by the bot); the card shows the latest one. */
export function recordPaging(
  deps: PagingDeps,
  tx: Repos,
  incidentId: number,
  type: 'paged' | 'escalated' | 'reminded',
  detail: string,
): Promise<void> {
  return tx.timeline.record({
    incidentId,
    at: deps.clock.now(),
    type,
    actor: BOT_ACTOR,
    actorName: null,
    detail,
  });
}

/** "paged alice via PagerDuty · escalates to bob at 01:51 UTC". */
export function pagedDetail(
  deps: PagingDeps,
  who: { primary: string; secondary: string },
  now: number,
): string {
  const at = cardTime(
    now + deps.policy.escalateAfter,
    { timeZone: deps.calendar.timeZone, now },
    'time',
  ).fallback;
  return `paged ${who.primary} via PagerDuty · escalates to ${who.secondary} at ${at}`;
}
