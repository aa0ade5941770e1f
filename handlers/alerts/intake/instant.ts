import { z } from 'zod';
import { preview } from './intake-error.ts';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
/** Legacy Azure log alerts write local-looking US dates that are in fact UTC: `3/22/2019 1:36:31 PM`. */
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AaPp][Mm]))?$/;

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  offsetMinutes: number;
}

/**
 * Converts an RFC 3339 timestamp (any number of fractional digits, any offset) to
 * `Date#toISOString` form. Without an offset the time is read as UTC only when `assumeUtc` is set;
 * Azure omits the `Z` in places, Alertmanager and Grafana never do. Returns null when not a real instant.
 */
export function toIsoInstant(text: string, options: { assumeUtc: boolean; usDates: boolean }): string | null {
  const m = RFC3339.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac = '', zulu, sign, oh, om] = m;
    if (!zulu && !sign && !options.assumeUtc) return null;
    const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
    if (sign && (Number(oh) > 23 || Number(om) > 59)) return null;
    return build({
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h),
      minute: Number(mi),
      second: Number(s),
      millis: Number(frac.padEnd(3, '0').slice(0, 3)),
      offsetMinutes: offset,
    });
  }
  const us = options.usDates ? US_DATE.exec(text) : null;
  if (!us) return null;
  const [, mo, d, y, h, mi, s, meridiem] = us;
  let hour = Number(h);
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0);
  }
  return build({
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour,
    minute: Number(mi),
    second: Number(s),
    millis: 0,
    offsetMinutes: 0,
  });
}

function build(f: Fields): string | null {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.hour > 23 || f.minute > 59 || f.second > 59) return null;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999 (Go's zero time is year 1).
  date.setUTCFullYear(f.year, f.month - 1, f.day);
  if (date.getUTCDate() !== f.day) return null;
  date.setUTCHours(f.hour, f.minute - f.offsetMinutes, f.second, f.millis);
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return null;
  return date.toISOString();
}

/** Go's zero `time.Time`, which Alertmanager and Grafana send as the end of an alert still firing. */
export function isGoZeroTime(iso: string): boolean {
  return iso.startsWith('0001-01-01T00:00:00');
}

/** A timestamp field, parsed to ISO; a value that is not a real instant names the field in the error. */
export function instantSchema(options: { assumeUtc: boolean; usDates: boolean }) {
  const expected = options.usDates
    ? 'an ISO-8601 date-time or M/D/YYYY h:mm:ss AM/PM'
    : 'an RFC 3339 date-time';
  return z
    .string()
    .max(64)
    .transform((text, ctx) => {
      const iso = toIsoInstant(text.trim(), options);
      if (iso !== null) return iso;
      ctx.issues.push({ code: 'custom', message: `expected ${expected}, got ${preview(text)}`, input: text });
      return z.NEVER;
    });
}

/** Alertmanager/Grafana timestamps: RFC 3339 with an offset, as Go's encoding/json writes them. */
export const goInstant = instantSchema({ assumeUtc: false, usDates: false });
/** Azure timestamps: ISO-8601, up to 7 fractional digits, UTC even when the `Z` is missing. */
export const azureInstant = instantSchema({ assumeUtc: true, usDates: false });
/** Legacy v1 log-alert timestamps: ISO or the US `3/22/2019 1:36:31 PM` form, always UTC. */
export const legacyAzureInstant = instantSchema({ assumeUtc: true, usDates: true });
