import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';

/** Requests and HTTP 429 answers of Azure OpenAI traffic in a time range. */
export interface ThrottleCount {
  requests: number;
  throttled: number;
}

/** Reads the 429 rate that traffic shifting is meant to bring down. */
export interface ThrottleReader {
  /** Requests counted in the whole-minute buckets that start in `[from, to)`. */
  count(range: { from: number; to: number }): Promise<ThrottleCount>;
}

const MINUTE = 60_000;

/** The `throttle-rate` result row the reader needs (positional, as Log Analytics returns it). */
const row = z.tuple([
  z.iso.datetime({ offset: true }),
  z.string().nullable(),
  z.coerce.number(),
  z.coerce.number(),
]);

/**
 * Counts 429s with the vetted `throttle-rate` query (Log Analytics in production, the local engine
 * over simulated telemetry in local mode) in one-minute buckets, summed over app roles.
 */
export function createLogsThrottleReader(logs: LogsBackend, clock: Clock, deployment = '*'): ThrottleReader {
  return {
    async count({ from, to }) {
      const minutes = Math.min(7 * 24 * 60, Math.max(5, Math.ceil((clock.now() - from) / MINUTE) + 1));
      const run = await logs.run('throttle-rate', { window: `${minutes}m`, bucket: '1m', deployment });
      const names = run.result.columns.map((c) => c.name);
      const at = ['TimeGenerated', 'AppRoleName', 'Total', 'Throttled'].map((n) => names.indexOf(n));
      let requests = 0;
      let throttled = 0;
      for (const raw of run.result.rows) {
        const [time, , total, t429] = row.parse(at.map((i) => raw[i]));
        const start = Date.parse(time);
        if (start < from || start >= to) continue;
        requests += total;
        throttled += t429;
      }
      return { requests, throttled };
    },
  };
}

/** The share of throttled requests in percent, or undefined when nothing was counted. */
export function throttlePercent(c: ThrottleCount): number | undefined {
  return c.requests > 0 ? (100 * c.throttled) / c.requests : undefined;
}
