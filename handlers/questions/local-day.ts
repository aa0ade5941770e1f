import { fromZonedTime, toZonedParts } from './zoned-time.ts';

/** A calendar date on the wall clock of the policy's time zone. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** The date the wall clock shows at `ms` in `timeZone`. */
export function localDayOf(ms: number, timeZone: string): LocalDay {
  const p = toZonedParts(ms, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

/** The date `days` later (earlier when negative); months and years roll over. */
export function shiftDay(d: LocalDay, days: number): LocalDay {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(d: LocalDay): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

/**
 * The instant `minutes` after the local midnight that starts `d`; minutes past 24 h run into the
 * next days, and across a DST change the wall clock (not the elapsed time) is what counts.
 */
export function atLocal(d: LocalDay, minutes: number, timeZone: string): number {
  const next = shiftDay(d, Math.floor(minutes / 1440));
  const m = ((minutes % 1440) + 1440) % 1440;
  return fromZonedTime({ ...next, hour: Math.floor(m / 60), minute: m % 60 }, timeZone);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-12-03`. */
export function formatDay(d: LocalDay): string {
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/** `02:30` for minutes after midnight (wrapping past 24 h). */
export function formatClock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}
