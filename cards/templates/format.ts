import type { Inline, TimeToken } from '../../core/message.ts';

/** How cards show times: in the policy's time zone, with the zone named. */
export interface TimeFormat {
  timeZone: string;
  now: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** "28 Nov 2026, 09:12 UTC". */
export function formatTime(ms: number, tf: TimeFormat): string {
  return formatter(tf.timeZone).format(ms);
}

/**
 * A time on a posted card, rendered by the reader's client in their own zone ("28 Nov 2026,
 * 10:12"), with "28 Nov 2026, 09:12 UTC" in the policy's zone as the plain-text fallback. There is
 * no "(14m ago)": a posted card is not re-rendered as time passes, so an age would go stale.
 */
export function cardTime(ms: number, tf: TimeFormat, style: TimeToken['style'] = 'datetime'): TimeToken {
  const fallback = style === 'time' ? formatClockTime(ms, tf) : formatTime(ms, tf);
  return { kind: 'time', at: ms, style, fallback };
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

/** "09:12 UTC" in the policy's time zone. */
function formatClockTime(ms: number, tf: TimeFormat): string {
  let f = clockFormatters.get(tf.timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tf.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    clockFormatters.set(tf.timeZone, f);
  }
  return f.format(ms);
}

/**
 * Text runs with times in them, written as a template literal: rich`by ${who}, ${cardTime(…)}`.
 * Interpolated strings stay plain text (never markup); times stay times.
 */
export function rich(strings: TemplateStringsArray, ...values: Array<string | number | TimeToken>): Inline[] {
  const out: Inline[] = [];
  const push = (part: Inline) => {
    const last = out.at(-1);
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else if (part !== '') out.push(part);
  };
  strings.forEach((s, i) => {
    push(s);
    if (i < values.length) {
      const v = values[i]!;
      push(typeof v === 'object' ? v : String(v));
    }
  });
  return out;
}

const SOURCE_NAMES = {
  alertmanager: 'Alertmanager',
  'azure-monitor': 'Azure Monitor',
  grafana: 'Grafana',
  detector: 'the bot’s detectors',
} as const;

export function sourceName(source: keyof typeof SOURCE_NAMES): string {
  return SOURCE_NAMES[source];
}
