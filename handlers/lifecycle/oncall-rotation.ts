import { zonedInstant } from '../paging/business-day.ts';
import type { OncallPolicy, RotationPolicy } from './oncall-policy.ts';
import type { OncallLevel, OncallShift, OncallSource } from './oncall-source.ts';

const DAY_MS = 86_400_000;

/** When shift `k` of a rotation starts: the start date plus k shifts, at the handoff, local time. */
function shiftStart(r: RotationPolicy, k: number): number {
  const [y, m, d] = r.start.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d) + k * r.shiftDays * DAY_MS);
  const [hh, mm] = r.handoff.split(':').map(Number) as [number, number];
  return zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hh, mm, r.timeZone);
}

/** The shift holding `at` (handoffs move with daylight saving time, so it is found, not divided). */
function shiftAt(r: RotationPolicy, at: number): number {
  let k = Math.floor((at - shiftStart(r, 0)) / (r.shiftDays * DAY_MS));
  while (shiftStart(r, k) > at) k--;
  while (shiftStart(r, k + 1) <= at) k++;
  return k;
}

const memberOf = (r: RotationPolicy, k: number) =>
  r.members[((k % r.members.length) + r.members.length) % r.members.length]!;

/** Who holds the rotation at `at`, from when and until when, overrides included. */
export function rotationShift(r: RotationPolicy, at: number): OncallShift {
  const overrides = r.overrides.map((o) => ({
    who: o.member,
    from: Date.parse(o.from),
    to: Date.parse(o.to),
  }));
  const covering = overrides.filter((o) => o.from <= at && at < o.to).sort((a, b) => b.from - a.from)[0];
  if (covering) return { who: covering.who, since: covering.from, until: covering.to };
  const k = shiftAt(r, at);
  let since = shiftStart(r, k);
  let until = shiftStart(r, k + 1);
  // An override inside the shift splits it: the member holds it around the stand-in.
  for (const o of overrides) {
    if (o.to <= at && o.to > since) since = o.to;
    if (o.from > at && o.from < until) until = o.from;
  }
  return { who: memberOf(r, k), since, until };
}

/** The policy's rotations as an on-call source: each level now and next, computed, no I/O. */
export function createRotationSource(policy: OncallPolicy): OncallSource {
  return {
    origin: 'policy',
    async levels(now): Promise<OncallLevel[]> {
      return policy.rotations.map((r, i) => {
        const current = rotationShift(r, now);
        const next = current.until === null ? undefined : rotationShift(r, current.until);
        return { level: i + 1, name: r.name, now: current, next };
      });
    },
  };
}
