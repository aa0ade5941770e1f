import { KqlError, type SourcePos } from './errors.ts';

/** Milliseconds per KQL timespan unit. Datetimes and timespans are held in milliseconds. */
const UNIT_MS: Record<string, number> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  microsecond: 0.001,
  microseconds: 0.001,
  tick: 0.0001,
  ticks: 0.0001,
};

/** Converts a `15m`-style token to milliseconds. */
export function parseTimespanToken(text: string, pos: SourcePos): number {
  const m = /^(\d+(?:\.\d+)?)([a-z]+)$/i.exec(text);
  const unit = m ? UNIT_MS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new KqlError('KQL_SYNTAX', `Invalid timespan literal "${text}"`, pos);
  return Number(m[1]) * unit;
}

/** Parses the body of `timespan(...)`: `1h` or `[-][d.]hh:mm[:ss[.fffffff]]`. */
export function parseTimespanLiteral(body: string, pos: SourcePos): number {
  const t = body.trim();
  if (/^\d+(\.\d+)?[a-z]+$/i.test(t)) return parseTimespanToken(t, pos);
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (!m) throw new KqlError('KQL_SYNTAX', `Invalid timespan literal "${body}"`, pos);
  const frac = m[6] ? Number(`0.${m[6]}`) * 1000 : 0;
  const ms =
    Number(m[2] ?? 0) * 86_400_000 +
    Number(m[3]) * 3_600_000 +
    Number(m[4]) * 60_000 +
    Number(m[5] ?? 0) * 1000 +
    frac;
  return m[1] ? -ms : ms;
}

/** Parses the body of `datetime(...)` (ISO 8601 forms; no zone means UTC, as in Kusto). */
export function parseDatetimeLiteral(body: string, pos: SourcePos): number {
  const ms = parseDatetimeText(body);
  if (ms === null) throw new KqlError('KQL_SYNTAX', `Invalid datetime literal "${body}"`, pos);
  return ms;
}

/** Parses datetime text to epoch milliseconds, or null when it is not a datetime. */
export function parseDatetimeText(text: string): number | null {
  const t = text.trim();
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return null;
  const base = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
  );
  let ms = base + (m[7] ? Math.round(Number(m[7]) * 1e7) / 1e4 : 0);
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000;
    ms += z[1] === '+' ? -offset : offset;
  }
  return Number.isNaN(ms) ? null : ms;
}

/** Parses the body of `dynamic(...)`: JSON, also accepting single-quoted strings. */
export function parseDynamicLiteral(body: string, pos: SourcePos): unknown {
  if (body === 'null' || body === '') return null;
  try {
    return JSON.parse(body);
  } catch {
    try {
      return JSON.parse(body.replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s)));
    } catch {
      throw new KqlError(
        'KQL_UNSUPPORTED_SYNTAX',
        'Only JSON-style dynamic(...) literals are supported',
        pos,
      );
    }
  }
}

/** Formats epoch milliseconds as Log Analytics does: ISO 8601 UTC, fraction only when present. */
export function formatDatetime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Formats milliseconds as a .NET-style timespan `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const fracMs = rest - s * 1000;
  const two = (n: number): string => String(n).padStart(2, '0');
  const frac = fracMs > 0 ? `.${String(Math.round(fracMs * 1e4)).padStart(7, '0')}` : '';
  return `${sign}${days > 0 ? `${days}.` : ''}${two(h)}:${two(m)}:${two(s)}${frac}`;
}
