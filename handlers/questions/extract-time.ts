import { extractCalendarRange } from './calendar-ranges.ts';
import { consumeFirst, type TextScan } from './text-scan.ts';
import { type Clock, relativeSlot, type TimeSlot } from './time-slot.ts';
import { COUNT, readCount, UNIT } from './time-units.ts';

export { type Clock, type TimeSlot, timeSlot } from './time-slot.ts';

const LEAD = '(?:(?:in|over|during|for|from|within)\\s+)?(?:the\\s+)?';

type Reader = (m: RegExpExecArray, clock: Clock) => TimeSlot | undefined;

/** Look-backs from now, specific phrases before the general "last N units". */
const RELATIVE: ReadonlyArray<readonly [RegExp, Reader]> = [
  [
    /\b(?:range|window|since)\s*=\s*(\d+(?:\.\d+)?)(s|m|h|d|w)\b/g,
    (m, c) => relativeSlot(Number(m[1]), m[2]!, c),
  ],
  [
    new RegExp(`\\b${LEAD}(?:last|past|previous|prior)\\s+half\\s+(?:an\\s+)?hour\\b`, 'g'),
    (_m, c) => relativeSlot(30, 'm', c),
  ],
  [
    new RegExp(`\\b${LEAD}(?:last|past|previous|prior|recent)\\s+(?:${COUNT}\\s*)?${UNIT}\\b`, 'g'),
    (m, c) => relativeSlot(readCount(m[1]), m[2]!, c),
  ],
  [
    new RegExp(`\\bsince\\s+${COUNT}\\s*${UNIT}(?:\\s+ago)?\\b`, 'g'),
    (m, c) => relativeSlot(readCount(m[1]), m[2]!, c),
  ],
  [new RegExp(`\\b${COUNT}\\s*${UNIT}\\s+ago\\b`, 'g'), (m, c) => relativeSlot(readCount(m[1]), m[2]!, c)],
];

/**
 * Finds the question's time range and blanks every time expression, so none of them is read as
 * a threshold or a ranking word. A look-back ("last 2 hours") wins over a calendar range
 * ("yesterday", "between 2 and 4 am", "since Monday"), which is read on the wall clock of
 * `clock.timeZone`.
 */
export function extractTime(scan: TextScan, clock: Clock): TimeSlot | undefined {
  let found: TimeSlot | undefined;
  for (const [pattern, read] of RELATIVE) {
    for (;;) {
      const slot = consumeFirst(scan, pattern, (m) => read(m, clock));
      if (!slot) break;
      found ??= slot;
    }
  }
  const calendar = extractCalendarRange(scan, clock);
  return found ?? calendar;
}
