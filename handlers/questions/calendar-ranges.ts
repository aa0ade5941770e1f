import {
  atLocal,
  formatClock,
  formatDay,
  type LocalDay,
  localDayOf,
  shiftDay,
  weekdayOf,
} from './local-day.ts';
import { consumeFirst, type TextScan } from './text-scan.ts';
import { absoluteSlot, type Clock, type TimeSlot } from './time-slot.ts';

/*
 * Calendar ranges in words, read on the wall clock of the policy's time zone: a part of a day
 * ("yesterday", "last night", "on Dec 3", "last Tuesday afternoon"), clock times on it ("between
 * 2 and 4 am"), or an open range up to now ("since Monday", "today", "since 09:00").
 */

const HOUR = 60;
const DAY = 24 * HOUR;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAY = `(${DAYS.join('|')}|sun|mon|tues|tue|wed|thurs|thur|thu|fri|sat)`;
/** Parts of a day, in minutes after its midnight; the night runs into the next morning. */
const PARTS: Record<string, readonly [number, number]> = {
  morning: [6 * HOUR, 12 * HOUR],
  afternoon: [12 * HOUR, 18 * HOUR],
  evening: [18 * HOUR, DAY],
  night: [18 * HOUR, DAY + 6 * HOUR],
};
const PART = '(morning|afternoon|evening|night)';

/** Minutes `from`..`to` after the midnight that starts `day`, as the question named them. */
interface DaySpan {
  day: LocalDay;
  from: number;
  to: number;
  label: string;
  /** The label when no clock times narrow it ("today" alone runs to now). */
  alone?: string;
}

/** Clock times without a day: minutes after midnight; `to` is after `from` (next day if need be). */
interface ClockSpan {
  from: number;
  to: number;
  label: string;
}

function today(clock: Clock): LocalDay {
  return localDayOf(clock.now.getTime(), clock.timeZone);
}

function wholeDay(day: LocalDay, label: string): DaySpan {
  return { day, from: 0, to: DAY, label };
}

function partOf(day: LocalDay, part: string | undefined, label: string): DaySpan {
  if (!part) return wholeDay(day, label);
  const [from, to] = PARTS[part]!;
  return { day, from, to, label: `${label} ${part}` };
}

function weekdayIndex(word: string): number {
  return DAYS.findIndex((d) => d.startsWith(word.slice(0, 3)));
}

/** The latest `weekday` on or before today (`strict`: before today). */
function latestWeekday(weekday: number, clock: Clock, strict: boolean): LocalDay {
  const t = today(clock);
  let back = (weekdayOf(t) - weekday + 7) % 7;
  if (strict && back === 0) back = 7;
  return shiftDay(t, -back);
}

/** Day-month without a year means the latest such date not in the future. */
function dayMonth(day: number, monthName: string, clock: Clock): LocalDay | undefined {
  const month = MONTHS.indexOf(monthName.slice(0, 3)) + 1;
  if (month < 1 || day < 1 || day > 31) return undefined;
  const t = today(clock);
  const year = month > t.month || (month === t.month && day > t.day) ? t.year - 1 : t.year;
  return { year, month, day };
}

/** "may" is a month only with a marker ("on may 3"): "gpu 2 may be hot" names no date. */
function notBareMay(marker: string | undefined, month: string): boolean {
  return marker !== undefined || month !== 'may';
}

type DayReader = (m: RegExpExecArray, clock: Clock) => DaySpan | undefined;

/** Named days and parts of days, most specific first. */
const DAY_READERS: ReadonlyArray<readonly [RegExp, DayReader]> = [
  [
    /\b(?:the\s+)?day\s+before\s+yesterday\b/g,
    (_m, c) => wholeDay(shiftDay(today(c), -2), 'day before yesterday'),
  ],
  [
    new RegExp(`\\byesterday(?:'?s)?\\s+${PART}\\b|\\b${PART}\\s+of\\s+yesterday\\b`, 'g'),
    (m, c) => partOf(shiftDay(today(c), -1), m[1] ?? m[2], 'yesterday'),
  ],
  [
    /\b(?:last\s+night|overnight|over\s+night|during\s+the\s+night)\b/g,
    (_m, c) => ({ day: shiftDay(today(c), -1), from: 18 * HOUR, to: DAY + 6 * HOUR, label: 'last night' }),
  ],
  [/\btonight\b/g, (_m, c) => ({ day: today(c), from: 18 * HOUR, to: DAY + 6 * HOUR, label: 'tonight' })],
  [/\byesterday\b/g, (_m, c) => wholeDay(shiftDay(today(c), -1), 'yesterday')],
  [new RegExp(`\\b(?:this|earlier\\s+this)\\s+${PART}\\b`, 'g'), (m, c) => partOf(today(c), m[1], 'this')],
  [
    new RegExp(`\\b(last|this\\s+past|past|previous|on|this)?\\s*${WEEKDAY}(?:'?s)?(?:\\s+${PART})?\\b`, 'g'),
    (m, c) => {
      const weekday = weekdayIndex(m[2]!);
      // A bare abbreviation ("sat", "wed") is too often another word: only full names stand alone.
      if (weekday < 0 || (!m[1] && !DAYS.includes(m[2]!))) return undefined;
      const marker = m[1]?.replace(/\s+/g, ' ');
      const strict = marker !== undefined && marker !== 'on' && marker !== 'this';
      const day = latestWeekday(weekday, c, strict);
      const name = DAYS[weekday]!;
      return partOf(day, m[3], `${strict ? 'last ' : ''}${name[0]!.toUpperCase()}${name.slice(1)}`);
    },
  ],
  [
    /\b(last|this\s+past|over\s+the|this)\s+weekend\b/g,
    (m, c) => {
      let saturday = latestWeekday(6, c, false);
      // On a Saturday or Sunday, "last weekend" is the one before this one.
      const inWeekend = [0, 6].includes(weekdayOf(today(c)));
      if (m[1] === 'last' && inWeekend) saturday = shiftDay(saturday, -7);
      return { day: saturday, from: 0, to: 2 * DAY, label: `weekend of ${formatDay(saturday)}` };
    },
  ],
  [
    /\b(on|for)?\s*(\d{4})-(\d{2})-(\d{2})\b(?![t:]\d)/g,
    (m) => {
      const day = { year: Number(m[2]), month: Number(m[3]), day: Number(m[4]) };
      return day.month >= 1 && day.month <= 12 && day.day >= 1 && day.day <= 31
        ? wholeDay(day, formatDay(day))
        : undefined;
    },
  ],
  [
    new RegExp(`\\b(on|for)?\\s*(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?=\\W|$)`, 'g'),
    (m, c) => {
      if (!notBareMay(m[1], m[3]!)) return undefined;
      const day = dayMonth(Number(m[2]), m[3]!, c);
      return day && wholeDay(day, formatDay(day));
    },
  ],
  [
    new RegExp(`\\b(on|for)?\\s*${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?!:)`, 'g'),
    (m, c) => {
      if (!notBareMay(m[1], m[2]!)) return undefined;
      const day = dayMonth(Number(m[3]), m[2]!, c);
      return day && wholeDay(day, formatDay(day));
    },
  ],
  [
    /\b(?:so\s+far\s+)?(?:earlier\s+)?today(?:\s+so\s+far)?\b/g,
    (_m, c) => ({ ...wholeDay(today(c), 'today'), alone: 'today (since 00:00)' }),
  ],
];

/** A clock time: `14:30`, `2pm`, `2:30 am`, `noon`, `midnight`. */
const TIME = '(\\d{1,2})(?!\\d)(?::(\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?|(noon|midday|midnight)';
/** Numbers followed by one of these are amounts, not hours. */
const NOT_HOURS =
  '(?!\\s*(?:ms|milli\\w*|s\\b|secs?\\b|seconds?|mins?\\b|minutes?|h\\b|hrs?\\b|hours?|%|percent|x\\b|times|k\\b|tokens|gpus?|nodes?|requests?|errors?|days?|d\\b))';

interface ClockTime {
  hour: number;
  minute: number;
  meridiem: 'am' | 'pm' | undefined;
  /** Written with minutes or as a word: a clock time whatever follows. */
  clocky: boolean;
}

function readClock(hour?: string, minute?: string, meridiem?: string, word?: string): ClockTime | undefined {
  if (word) return { hour: word === 'midnight' ? 0 : 12, minute: 0, meridiem: undefined, clocky: true };
  const h = Number(hour);
  const m = minute === undefined ? 0 : Number(minute);
  const mer = meridiem ? (meridiem.startsWith('a') ? 'am' : 'pm') : undefined;
  if (m > 59 || h > 24 || (mer && (h < 1 || h > 12))) return undefined;
  return { hour: h, minute: m, meridiem: mer, clocky: minute !== undefined || mer !== undefined };
}

function minutesOf(t: ClockTime, meridiem = t.meridiem): number {
  const h = meridiem ? (t.hour % 12) + (meridiem === 'pm' ? 12 : 0) : t.hour;
  return (h % 24) * HOUR + t.minute;
}

/** Two clock times; a bare first one shares the second's am/pm unless that would end before it starts. */
function clockSpan(a: ClockTime, b: ClockTime): ClockSpan {
  let from = minutesOf(a);
  if (!a.meridiem && b.meridiem && a.hour <= 12) {
    from = minutesOf(a, b.meridiem);
    if (from > minutesOf(b)) from = minutesOf(a, b.meridiem === 'am' ? 'pm' : 'am');
  }
  let to = minutesOf(b);
  if (to <= from) to += DAY;
  return { from, to, label: `${formatClock(from)}–${formatClock(to)}` };
}

type ClockReader = (m: RegExpExecArray) => ClockSpan | undefined;

const CLOCK_READERS: ReadonlyArray<readonly [RegExp, ClockReader]> = [
  [
    new RegExp(
      `\\b(?:between|from)\\s+(?:${TIME})\\s*(?:and|to|until|till|-|–)\\s*(?:${TIME})${NOT_HOURS}`,
      'g',
    ),
    (m) => {
      const a = readClock(m[1], m[2], m[3], m[4]);
      const b = readClock(m[5], m[6], m[7], m[8]);
      return a && b ? clockSpan(a, b) : undefined;
    },
  ],
  [
    new RegExp(`(?<![\\w.:-])(?:${TIME})\\s*(?:to|until|till|-|–)\\s*(?:${TIME})(?![\\w:])`, 'g'),
    (m) => {
      const a = readClock(m[1], m[2], m[3], m[4]);
      const b = readClock(m[5], m[6], m[7], m[8]);
      return a && b && (a.clocky || b.clocky) ? clockSpan(a, b) : undefined;
    },
  ],
  [
    new RegExp(`\\b(?:around|about|at|near|circa)\\s+(?:${TIME})(?![\\w:])`, 'g'),
    (m) => {
      const t = readClock(m[1], m[2], m[3], m[4]);
      if (!t?.clocky) return undefined;
      const at = minutesOf(t);
      return { from: at - 30, to: at + 30, label: `around ${formatClock(at)}` };
    },
  ],
];

type SinceReader = (m: RegExpExecArray, clock: Clock) => TimeSlot | undefined;

function sinceDay(day: LocalDay, clock: Clock, label: string): TimeSlot | undefined {
  return absoluteSlot(atLocal(day, 0, clock.timeZone), undefined, clock, label);
}

/** A clock time later than now is yesterday's. */
function sinceClock(t: ClockTime | undefined, clock: Clock): TimeSlot | undefined {
  if (!t) return undefined;
  const minutes = minutesOf(t);
  let start = atLocal(today(clock), minutes, clock.timeZone);
  if (start > clock.now.getTime()) start = atLocal(shiftDay(today(clock), -1), minutes, clock.timeZone);
  return absoluteSlot(start, undefined, clock, `since ${formatClock(minutes)}`);
}

/** Ranges that run up to now. */
const SINCE_READERS: ReadonlyArray<readonly [RegExp, SinceReader]> = [
  [/\b(?:since|from)\s+(?:midnight|00:00)\b/g, (_m, c) => sinceDay(today(c), c, 'since 00:00')],
  [
    /\b(?:since|from)\s+(\d{4})-(\d{2})-(\d{2})\b/g,
    (m, c) => {
      const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
      return sinceDay(day, c, `since ${formatDay(day)}`);
    },
  ],
  [
    new RegExp(`\\b(?:since|from)\\s+(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?=\\W|$)`, 'g'),
    (m, c) => {
      const day = dayMonth(Number(m[1]), m[2]!, c);
      return day && sinceDay(day, c, `since ${formatDay(day)}`);
    },
  ],
  [
    new RegExp(`\\b(?:since|from)\\s+${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?!:)`, 'g'),
    (m, c) => {
      const day = dayMonth(Number(m[2]), m[1]!, c);
      return day && sinceDay(day, c, `since ${formatDay(day)}`);
    },
  ],
  [
    new RegExp(`\\b(?:since|from)\\s+(?:${TIME})(?![\\w:])${NOT_HOURS}`, 'g'),
    (m, c) => {
      const t = readClock(m[1], m[2], m[3], m[4]);
      return t?.clocky ? sinceClock(t, c) : undefined;
    },
  ],
  [/\bsince\s+yesterday\b/g, (_m, c) => sinceDay(shiftDay(today(c), -1), c, 'since yesterday 00:00')],
  [
    /\b(?:this|the\s+current)\s+week\b|\bweek\s+to\s+date\b/g,
    (_m, c) => sinceDay(latestWeekday(1, c, false), c, 'this week (since Monday)'),
  ],
  [
    new RegExp(`\\b(?:since|from)\\s+(?:last\\s+)?${WEEKDAY}\\b`, 'g'),
    (m, c) => {
      const weekday = weekdayIndex(m[1]!);
      return weekday < 0
        ? undefined
        : sinceDay(latestWeekday(weekday, c, false), c, `since ${DAYS[weekday]}`);
    },
  ],
  [
    /\bthis\s+month\b|\bmonth\s+to\s+date\b/g,
    (_m, c) => {
      const t = today(c);
      return sinceDay({ ...t, day: 1 }, c, 'this month');
    },
  ],
];

/** Every match of every pattern is blanked; the first one read (pattern order, then position) is kept. */
function consumeAll<T>(
  scan: TextScan,
  readers: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => T | undefined]>,
): T | undefined {
  let found: T | undefined;
  for (const [pattern, read] of readers) {
    for (;;) {
      const value = consumeFirst(scan, pattern, read);
      if (value === undefined) break;
      found ??= value;
    }
  }
  return found;
}

/** Where the first match of any of the patterns starts, if one does. */
function firstIndexOf(text: string, readers: ReadonlyArray<readonly [RegExp, unknown]>): number | undefined {
  let first: number | undefined;
  for (const [pattern] of readers) {
    pattern.lastIndex = 0;
    const m = pattern.exec(text);
    if (m && (first === undefined || m.index < first)) first = m.index;
  }
  return first;
}

/** Clock times on a day; hours before a night starts are the next morning's. */
function onDay(span: DaySpan, clock: ClockSpan): DaySpan {
  const shift = span.to > DAY && clock.from < span.from ? DAY : 0;
  return {
    day: span.day,
    from: clock.from + shift,
    to: clock.to + shift,
    label: `${span.label} ${clock.label}`,
  };
}

/** Clock times without a day: today's, or yesterday's when today's have not started yet. */
function latestDay(span: ClockSpan, clock: Clock): DaySpan {
  const t = today(clock);
  const startsToday = atLocal(t, span.from, clock.timeZone) < clock.now.getTime();
  return startsToday
    ? { day: t, from: span.from, to: span.to, label: `today ${span.label}` }
    : { day: shiftDay(t, -1), from: span.from, to: span.to, label: `yesterday ${span.label}` };
}

function toSlot(span: DaySpan, clock: Clock): TimeSlot | undefined {
  return absoluteSlot(
    atLocal(span.day, span.from, clock.timeZone),
    atLocal(span.day, span.to, clock.timeZone),
    clock,
    span.label,
  );
}

/**
 * The calendar range of the question, if it names one: clock times and a day are read together
 * ("yesterday between 2 and 4 am"), open ranges ("since Monday") run to now. Everything read is
 * blanked from `scan`, so "4 am" is no threshold and "Dec 3" no count.
 */
export function extractCalendarRange(scan: TextScan, clock: Clock): TimeSlot | undefined {
  const withClock = <T>(readers: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray, c: Clock) => T]>) =>
    readers.map(([pattern, read]) => [pattern, (m: RegExpExecArray) => read(m, clock)] as const);
  const times = consumeAll(scan, CLOCK_READERS);
  // Open ranges first: "since yesterday" and "since Friday" are not the day itself.
  const since = consumeAll(scan, withClock(SINCE_READERS));
  // "errors since the deploy on Tuesday": a day named after a loose "since" starts an open range.
  const looseSince = /\bsince\b/.exec(scan.text)?.index;
  const dayAt = firstIndexOf(scan.text, DAY_READERS);
  const day = consumeAll(scan, withClock(DAY_READERS));
  if (times) return toSlot(day ? onDay(day, times) : latestDay(times, clock), clock);
  if (since) return since;
  if (!day) return undefined;
  if (looseSince !== undefined && dayAt !== undefined && looseSince < dayAt)
    return absoluteSlot(atLocal(day.day, day.from, clock.timeZone), undefined, clock, `since ${day.label}`);
  return toSlot({ ...day, label: day.alone ?? day.label }, clock);
}
