import { z } from 'zod';
import { formatMinutes, toTimespan } from './time-units.ts';

/** The time range a question asks about, and the look-back `window` a vetted query takes. */
export const timeSlot = z.object({
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  /** Look-back from now covering `start`, as a timespan (`2h`, `90m`, `7d`). */
  window: z.string(),
  windowMs: z.number().int().positive(),
  /** How the card repeats it: `last 2h`, `since 00:00`, `yesterday`. */
  label: z.string(),
  /**
   * A calendar range ("yesterday", "since Monday", "between 2 and 4 am"): queries that take
   * `start`/`end` get those, so the answer is the same whenever it is run. A relative one
   * ("last 2 hours") is a look-back from now.
   */
  absolute: z.boolean(),
  /** The range runs up to now (no `end` is bound). */
  toNow: z.boolean(),
});
export type TimeSlot = z.infer<typeof timeSlot>;

/** When "now" is and which wall clock the user lives by. */
export interface Clock {
  now: Date;
  timeZone: string;
}

/** "The last N units": a look-back from now. */
export function relativeSlot(count: number, unit: string, clock: Clock): TimeSlot | undefined {
  const span = toTimespan(count, unit);
  if (!span) return undefined;
  const end = clock.now.getTime();
  return {
    start: new Date(end - span.ms).toISOString(),
    end: new Date(end).toISOString(),
    window: span.text,
    windowMs: span.ms,
    label: `last ${span.text}`,
    absolute: false,
    toNow: true,
  };
}

/**
 * A calendar range from `start` to `end` (ms; none, or one not yet reached, means now). A range
 * that starts in the future is no range. The window looks back from now to `start`, for queries
 * that only take a look-back.
 */
export function absoluteSlot(
  start: number,
  end: number | undefined,
  clock: Clock,
  label: string,
): TimeSlot | undefined {
  const now = clock.now.getTime();
  if (!(start < now) || (end !== undefined && end <= start)) return undefined;
  const span = formatMinutes((now - start) / 60_000);
  const toNow = end === undefined || end >= now;
  return {
    start: new Date(start).toISOString(),
    end: new Date(toNow ? now : end).toISOString(),
    window: span.text,
    windowMs: span.ms,
    label,
    absolute: true,
    toNow,
  };
}
