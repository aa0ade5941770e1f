import type { Histogram } from 'prom-client';
import type { LogsBackend } from './logs-backend.ts';

/** Times every vetted query a backend runs (`oncall_bot_query_duration_seconds`). */
export function withQueryMetrics(
  backend: LogsBackend,
  duration: Histogram<'query' | 'backend' | 'outcome'>,
): LogsBackend {
  return {
    kind: backend.kind,
    catalog: backend.catalog,
    async run(id, params, options) {
      const stop = duration.startTimer({
        query: backend.catalog.has(id) ? id : 'unknown',
        backend: backend.kind,
      });
      try {
        const result = await backend.run(id, params, options);
        stop({ outcome: 'ok' });
        return result;
      } catch (err) {
        stop({ outcome: 'error' });
        throw err;
      }
    },
  };
}
