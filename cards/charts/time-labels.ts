const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, style: 'time' | 'day-time' | 'date' | 'zone'): Intl.DateTimeFormat {
  const key = `${zone}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === 'time'
        ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : style === 'day-time'
          ? { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : style === 'date'
            ? { day: 'numeric', month: 'short' }
            : { timeZoneName: 'short' };
    f = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

/**
 * A time-axis label in the viewer's zone: `14:30` for ranges up to a day, `Sat 14:30` up to a
 * week, `28 Nov` beyond. ECharts places ticks in UTC; only the words change with the zone.
 */
export function formatTimeLabel(epochMs: number, zone: string, spanMs: number): string {
  if (spanMs <= 36 * 3_600_000) return formatter(zone, 'time').format(epochMs);
  if (spanMs <= 8 * 86_400_000) return formatter(zone, 'day-time').format(epochMs);
  return formatter(zone, 'date').format(epochMs);
}

/** `Europe/Paris (CET)`; just `UTC` for UTC. */
export function timeZoneName(zone: string, at: number): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
  const short = formatter(zone, 'zone')
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return short ? `${zone} (${short})` : zone;
}
