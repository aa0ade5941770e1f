import type { Weekday } from './paging-policy.ts';

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;

export interface BusinessCalendar {
  timeZone: string;
  /** HH:MM local. */
  at: string;
  workingDays: readonly Weekday[];
}

/** A business-day start: its local date (the digest's key) and its instant. */
export interface DigestSlot {
  day: string;
  at: number;
}

function localParts(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: n('year'), m: n('month'), d: n('day'), h: n('hour'), min: n('minute'), s: n('second') };
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(ms / 1000) * 1000;
}

/** The instant a local wall-clock time occurs (the later guess wins around DST changes). */
export function zonedInstant(y: number, m: number, d: number, h: number, min: number, timeZone: string) {
  const wall = Date.UTC(y, m - 1, d, h, min);
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  return guess;
}

/**
 * The latest business-day start at or before `now`: the digest that is due. Each digest covers
 * the P3 incidents opened before its start that no earlier digest showed.
 */
export function latestDigestSlot(now: number, cal: BusinessCalendar): DigestSlot | undefined {
  const today = localParts(now, cal.timeZone);
  const [hh, mm] = cal.at.split(':').map(Number) as [number, number];
  for (let back = 0; back < 8; back++) {
    const date = new Date(Date.UTC(today.y, today.m - 1, today.d) - back * DAY_MS);
    if (!cal.workingDays.includes(WEEKDAYS[date.getUTCDay()]!)) continue;
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const at = zonedInstant(y, m, d, hh, mm, cal.timeZone);
    if (at <= now) return { day: date.toISOString().slice(0, 10), at };
  }
  return undefined;
}
