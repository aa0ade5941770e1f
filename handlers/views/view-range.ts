import { z } from 'zod';
import { formatDuration, parseDuration } from '../../core/duration.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A range a view or `/cost` covers: absolute instants and what the card calls it. */
export interface ViewRange {
  startMs: number;
  endMs: number;
  label: string;
  /** Buckets of the trend: hourly up to two days, daily beyond. */
  bucket: '1h' | '1d';
}

/** Start of the UTC day of `ms`: budgets are daily and monthly in UTC, like Azure's. */
export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** Start of the UTC calendar month of `ms`. */
export function startOfUtcMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * `today` (since 00:00 UTC), `month` (since the 1st, UTC), or a look-back like `24h` or `7d`
 * (1 hour to 31 days): the form people type after `/cost`.
 */
export const rangeWord = z
  .string()
  .trim()
  .toLowerCase()
  .refine((t) => t === 'today' || t === 'month' || parseDuration(t) !== undefined, {
    message: 'a range is today, month, or a look-back like 24h or 7d',
  })
  .refine(
    (t) => {
      const ms = parseDuration(t);
      return ms === undefined || (ms >= HOUR && ms <= 31 * DAY);
    },
    { message: 'a look-back is between 1h and 31d' },
  );

/**
 * The absolute range of a range word at `now`, starting no earlier than `oldestMs` (the workspace
 * retention: a month's first day can lie beyond a 30-day retention on the 31st) and at least a
 * minute long (at 00:00 UTC "today" has not begun).
 */
export function resolveRange(word: string, now: number, oldestMs = 0): ViewRange {
  const r = rangeAt(word, now);
  return { ...r, startMs: Math.min(Math.max(r.startMs, oldestMs), now - 60_000) };
}

function rangeAt(word: string, now: number): ViewRange {
  if (word === 'today')
    return { startMs: startOfUtcDay(now), endMs: now, label: 'today (UTC)', bucket: '1h' };
  if (word === 'month')
    return { startMs: startOfUtcMonth(now), endMs: now, label: 'this month (UTC)', bucket: '1d' };
  const ms = parseDuration(word)!;
  return {
    startMs: now - ms,
    endMs: now,
    label: `last ${formatDuration(ms)}`,
    bucket: ms <= 2 * DAY ? '1h' : '1d',
  };
}
