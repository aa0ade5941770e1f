import { z } from 'zod';
import { consumeFirst, type TextScan } from './text-scan.ts';
import { COUNT, formatMinutes, readCount, toTimespan, UNIT } from './time-units.ts';
import { fromZonedTime, toZonedParts } from './zoned-time.ts';

/** The time range a question asks about, and the look-back `window` a vetted query takes. */
export const timeSlot = z.object({
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  /** Look-back from now covering `start`, as a timespan (`2h`, `90m`, `7d`). */
  window: z.string(),
  windowMs: z.number().int().positive(),
  /** How the card repeats it: `last 2h`, `since 00:00`, `yesterday`. */
  label: z.string(),
});
export type TimeSlot = z.infer<typeof timeSlot>;

/** When "now" is and which wall clock the user lives by. */
export interface Clock {
  now: Date;
  timeZone: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const LEAD = '(?:(?:in|over|during|for|from|within)\\s+)?(?:the\\s+)?';

type Reader = (m: RegExpExecArray, clock: Clock) => TimeSlot | undefined;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function relative(count: number, unit: string, clock: Clock, label?: string): TimeSlot | undefined {
  const span = toTimespan(count, unit);
  if (!span) return undefined;
  const end = clock.now.getTime();
  return {
    start: new Date(end - span.ms).toISOString(),
    end: new Date(end).toISOString(),
    window: span.text,
    windowMs: span.ms,
    label: label ?? `last ${span.text}`,
  };
}

/** A range from `start` (ms) to `end` (default now); the window looks back to `start`. */
function absolute(start: number, end: number | undefined, clock: Clock, label: string): TimeSlot | undefined {
  const now = clock.now.getTime();
  if (start >= now) return undefined;
  const span = formatMinutes((now - start) / 60_000);
  return {
    start: new Date(start).toISOString(),
    end: new Date(Math.min(end ?? now, now)).toISOString(),
    window: span.text,
    windowMs: span.ms,
    label,
  };
}

function today(clock: Clock, dayOffset = 0, hour = 0, minute = 0): number {
  const p = toZonedParts(clock.now.getTime(), clock.timeZone);
  return fromZonedTime(
    { year: p.year, month: p.month, day: p.day + dayOffset, hour, minute },
    clock.timeZone,
  );
}

function onDate(
  year: number,
  month: number,
  day: number,
  since: boolean,
  clock: Clock,
): TimeSlot | undefined {
  const start = fromZonedTime({ year, month, day }, clock.timeZone);
  const end = fromZonedTime({ year, month, day: day + 1 }, clock.timeZone);
  const label = `${since ? 'since ' : ''}${year}-${pad(month)}-${pad(day)}`;
  return absolute(start, since ? undefined : end, clock, label);
}

/** Day-month without a year means the latest such date not in the future. */
function onDayMonth(day: number, monthName: string, since: boolean, clock: Clock): TimeSlot | undefined {
  const month = MONTHS.indexOf(monthName.slice(0, 3)) + 1;
  if (month < 1 || day < 1 || day > 31) return undefined;
  const p = toZonedParts(clock.now.getTime(), clock.timeZone);
  const year = month > p.month || (month === p.month && day > p.day) ? p.year - 1 : p.year;
  return onDate(year, month, day, since, clock);
}

function sinceClockTime(hour: number, minute: number, clock: Clock): TimeSlot | undefined {
  if (hour > 23 || minute > 59) return undefined;
  let start = today(clock, 0, hour, minute);
  if (start > clock.now.getTime()) start = today(clock, -1, hour, minute);
  return absolute(start, undefined, clock, `since ${pad(hour)}:${pad(minute)}`);
}

function to24h(hour: number, meridiem: string | undefined): number {
  if (!meridiem) return hour;
  const h = hour % 12;
  return meridiem.startsWith('p') ? h + 12 : h;
}

/** Patterns in priority order: specific phrases before the general "last N units". */
const READERS: ReadonlyArray<readonly [RegExp, Reader]> = [
  [
    /\b(?:range|window|since)\s*=\s*(\d+(?:\.\d+)?)(s|m|h|d|w)\b/g,
    (m, c) => relative(Number(m[1]), m[2]!, c),
  ],
  [
    new RegExp(`\\b${LEAD}(?:last|past|previous|prior)\\s+half\\s+(?:an\\s+)?hour\\b`, 'g'),
    (_m, c) => relative(30, 'm', c),
  ],
  [
    new RegExp(`\\b${LEAD}(?:last|past|previous|prior)\\s+(?:${COUNT}\\s*)?${UNIT}\\b`, 'g'),
    (m, c) => relative(readCount(m[1]), m[2]!, c),
  ],
  [
    new RegExp(`\\bsince\\s+${COUNT}\\s*${UNIT}(?:\\s+ago)?\\b`, 'g'),
    (m, c) => relative(readCount(m[1]), m[2]!, c),
  ],
  [new RegExp(`\\b${COUNT}\\s*${UNIT}\\s+ago\\b`, 'g'), (m, c) => relative(readCount(m[1]), m[2]!, c)],
  [/\b(?:since|from)\s+(?:midnight|00:00)\b/g, (_m, c) => absolute(today(c), undefined, c, 'since 00:00')],
  [
    /\b(since|on|for|from)?\s*(\d{4})-(\d{2})-(\d{2})\b/g,
    (m, c) => onDate(Number(m[2]), Number(m[3]), Number(m[4]), m[1] === 'since' || m[1] === 'from', c),
  ],
  [
    new RegExp(`\\b(since|on|from)?\\s*(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?=\\W|$)`, 'g'),
    (m, c) =>
      m[3] === 'may' && !m[1]
        ? undefined
        : onDayMonth(Number(m[2]), m[3]!, m[1] === 'since' || m[1] === 'from', c),
  ],
  [
    new RegExp(`\\b(since|on|from)?\\s*${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'g'),
    (m, c) =>
      m[2] === 'may' && !m[1]
        ? undefined
        : onDayMonth(Number(m[3]), m[2]!, m[1] === 'since' || m[1] === 'from', c),
  ],
  [
    /\b(?:since|from)\s+(\d{1,2}):(\d{2})\s*(am|pm)?\b/g,
    (m, c) => sinceClockTime(to24h(Number(m[1]), m[3]), Number(m[2]), c),
  ],
  [/\b(?:since|from)\s+(\d{1,2})\s*(am|pm)\b/g, (m, c) => sinceClockTime(to24h(Number(m[1]), m[2]), 0, c)],
  [/\bsince\s+yesterday\b/g, (_m, c) => absolute(today(c, -1), undefined, c, 'since yesterday 00:00')],
  [
    /\b(?:last\s+night|overnight)\b/g,
    (_m, c) => absolute(today(c, -1, 18), today(c, 0, 6), c, 'last night (18:00–06:00)'),
  ],
  [/\byesterday\b/g, (_m, c) => absolute(today(c, -1), today(c), c, 'yesterday')],
  [
    /\bthis\s+morning\b/g,
    (_m, c) => absolute(today(c, 0, 6), today(c, 0, 12), c, 'this morning (since 06:00)'),
  ],
  [/\b(?:so\s+far\s+)?today\b/g, (_m, c) => absolute(today(c), undefined, c, 'today (since 00:00)')],
  [/\b(?:this|the\s+current)\s+week\b/g, (_m, c) => sinceWeekday(1, c, 'this week (since Monday)')],
  [
    new RegExp(`\\bsince\\s+(${DAYS.join('|')})\\b`, 'g'),
    (m, c) => sinceWeekday(DAYS.indexOf(m[1]!), c, `since ${m[1]}`),
  ],
  [/\bthis\s+month\b/g, (_m, c) => sinceMonthStart(c)],
];

function sinceWeekday(weekday: number, clock: Clock, label: string): TimeSlot | undefined {
  const p = toZonedParts(clock.now.getTime(), clock.timeZone);
  const back = (p.weekday - weekday + 7) % 7;
  return absolute(today(clock, -back), undefined, clock, label);
}

function sinceMonthStart(clock: Clock): TimeSlot | undefined {
  const p = toZonedParts(clock.now.getTime(), clock.timeZone);
  return absolute(
    fromZonedTime({ year: p.year, month: p.month, day: 1 }, clock.timeZone),
    undefined,
    clock,
    'this month',
  );
}

/**
 * Finds the first time expression in the question (pattern priority, then position) and blanks
 * every time expression so none of them is read as a threshold or ranking word.
 */
export function extractTime(scan: TextScan, clock: Clock): TimeSlot | undefined {
  let found: TimeSlot | undefined;
  for (const [pattern, read] of READERS) {
    for (;;) {
      const slot = consumeFirst(scan, pattern, (m) => read(m, clock));
      if (!slot) break;
      found ??= slot;
    }
  }
  return found;
}
