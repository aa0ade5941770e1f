/** A least-squares line through daily totals: requests per day now, and its change per day. */
export interface Trend {
  /** Fitted requests per day at `atMs`. */
  at(atMs: number): number;
  perDayChange: number;
}

const DAY = 86_400_000;

/**
 * The linear trend of daily request totals (`[day start, requests]`, full days only). Two days
 * or more are needed; fewer say nothing about a trend.
 */
export function fitTrend(days: readonly (readonly [number, number])[]): Trend | undefined {
  if (days.length < 2) return undefined;
  const n = days.length;
  const xs = days.map(([t]) => t / DAY);
  const ys = days.map(([, v]) => v);
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { at: (ms) => Math.max(0, my + slope * (ms / DAY - mx)), perDayChange: slope };
}
