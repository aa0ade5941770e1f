import { z } from 'zod';
import type { AzureMetricsBackend } from '../../queries/backends/azure-metrics-backend.ts';
import type { ThrottleReader } from './throttle-rate.ts';

/** The `aoai-requests-by-status` row the reader needs. */
const row = z.object({
  TimeGenerated: z.iso.datetime({ offset: true }),
  StatusCode: z.string().nullable(),
  Requests: z.coerce.number(),
});

/**
 * Counts 429s as the Azure OpenAI resource itself counts them: the vetted `aoai-requests-by-status`
 * metric query (Azure Monitor `AzureOpenAIRequests` split by StatusCode, one-minute grains; the
 * simulated resource in local mode). It sees throttled requests the application never logged.
 */
export function createMetricsThrottleReader(metrics: AzureMetricsBackend, deployment = '*'): ThrottleReader {
  return {
    async count({ from, to }) {
      if (to <= from) return { requests: 0, throttled: 0 };
      const run = await metrics.run('aoai-requests-by-status', {
        start: new Date(from).toISOString(),
        end: new Date(to).toISOString(),
        interval: '1m',
        deployment,
      });
      const names = run.result.columns.map((c) => c.name);
      let requests = 0;
      let throttled = 0;
      for (const raw of run.result.rows) {
        const r = row.parse(Object.fromEntries(names.map((n, i) => [n, raw[i]])));
        const start = Date.parse(r.TimeGenerated);
        if (start < from || start >= to) continue;
        requests += r.Requests;
        if (r.StatusCode === '429') throttled += r.Requests;
      }
      return { requests, throttled };
    },
  };
}
