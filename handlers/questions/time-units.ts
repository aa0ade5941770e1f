const MINUTE = 60_000;

/** Number words people type instead of digits. */
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  'forty-five': 45,
  ninety: 90,
  couple: 2,
  few: 3,
};

/** Regex source of a count: digits or a number word. */
export const COUNT = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')})`;
/** Regex source of a time unit, long or short. */
export const UNIT = '(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|weeks?|wks?|w|months?|mo)';

/** Reads a count captured by {@link COUNT}. */
export function readCount(text: string | undefined): number {
  if (text === undefined) return 1;
  return NUMBER_WORDS[text] ?? Number(text);
}

type KqlUnit = 's' | 'm' | 'h' | 'd';

function unitOf(unit: string): { kql: KqlUnit; factor: number } {
  const u = unit.toLowerCase();
  if (u.startsWith('s')) return { kql: 's', factor: 1 };
  if (u.startsWith('mo')) return { kql: 'd', factor: 30 };
  if (u.startsWith('m')) return { kql: 'm', factor: 1 };
  if (u.startsWith('h')) return { kql: 'h', factor: 1 };
  if (u.startsWith('d')) return { kql: 'd', factor: 1 };
  return { kql: 'd', factor: 7 };
}

const UNIT_MS: Record<KqlUnit, number> = { s: 1000, m: MINUTE, h: 60 * MINUTE, d: 1440 * MINUTE };

/**
 * A duration the way the user said it, as a timespan both KQL and Prometheus read: `2 hours` →
 * `2h`, `90 minutes` → `90m`, `a week` → `7d` (KQL has no week unit), `1.5 hours` → `90m`.
 */
export function toTimespan(count: number, unit: string): { text: string; ms: number } | undefined {
  const { kql, factor } = unitOf(unit);
  const n = count * factor;
  if (!(n > 0)) return undefined;
  if (Number.isInteger(n)) return { text: `${n}${kql}`, ms: n * UNIT_MS[kql] };
  return formatMinutes(Math.round((n * UNIT_MS[kql]) / MINUTE));
}

/** Whole minutes as the largest unit that divides them exactly: 1440 → `1d`, 840 → `14h`. */
export function formatMinutes(minutes: number): { text: string; ms: number } {
  const m = Math.max(1, Math.ceil(minutes));
  const text = m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`;
  return { text, ms: m * MINUTE };
}
