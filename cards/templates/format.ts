import { formatDuration } from '../../bot/duration.ts';

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

/** "28 Nov 2026, 09:12 UTC (14m ago)". */
export function formatTimeAgo(ms: number, tf: TimeFormat): string {
  const delta = tf.now - ms;
  return delta >= 0 ? `${formatTime(ms, tf)} (${formatDuration(delta)} ago)` : formatTime(ms, tf);
}

const SOURCE_NAMES = {
  alertmanager: 'Alertmanager',
  'azure-monitor': 'Azure Monitor',
  grafana: 'Grafana',
} as const;

export function sourceName(source: keyof typeof SOURCE_NAMES): string {
  return SOURCE_NAMES[source];
}
