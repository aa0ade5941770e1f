import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { compilePromQL } from '../gpu/compile-promql.ts';
import type { GpuQuerySpec } from '../gpu/query-spec.ts';
import {
  type InstantSample,
  type MetricsBackend,
  MetricsBackendError,
  type QueryOptions,
  type RangeSeries,
  rangeWindow,
} from './metrics-backend.ts';

export interface PrometheusBackendOptions {
  /**
   * Server root, e.g. `http://prometheus:9090` or an Azure Monitor workspace's query endpoint
   * (`https://<workspace>.<region>.prometheus.monitor.azure.com`).
   */
  baseUrl: string;
  /**
   * Bearer token source. For Azure Managed Prometheus the caller wraps `@azure/identity` with the
   * scope `https://prometheus.monitor.azure.com/.default`; called per request (it caches).
   */
  getToken?: () => Promise<string>;
  /** Per request; default 10 s. Also sent to Prometheus as its own evaluation timeout. */
  timeoutMs?: number;
  clock: Clock;
  fetch?: typeof fetch;
}

const sampleValue = z.tuple([z.number(), z.string()]);

const successBody = z.object({
  status: z.literal('success'),
  data: z.discriminatedUnion('resultType', [
    z.object({
      resultType: z.literal('vector'),
      result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sampleValue })),
    }),
    z.object({
      resultType: z.literal('matrix'),
      result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValue) })),
    }),
    z.object({ resultType: z.literal('scalar'), result: sampleValue }),
    z.object({ resultType: z.literal('string'), result: sampleValue }),
  ]),
  warnings: z.array(z.string()).optional(),
});

const errorBody = z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() });

/** Prometheus renders floats as strings, with `NaN`, `+Inf` and `-Inf` spelled out. */
function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function classifyHttpError(status: number, body: unknown): MetricsBackendError {
  const parsed = errorBody.safeParse(body);
  const detail = parsed.success ? `${parsed.data.errorType}: ${parsed.data.error}` : `HTTP ${status}`;
  if (status === 401 || status === 403) {
    return new MetricsBackendError(
      'PROMETHEUS_AUTH',
      `Prometheus refused the credentials (${detail})`,
      false,
    );
  }
  if (parsed.success && parsed.data.errorType === 'timeout') {
    return new MetricsBackendError('PROMETHEUS_TIMEOUT', `Prometheus timed out (${detail})`, true);
  }
  if (status === 429 || status >= 500) {
    return new MetricsBackendError('PROMETHEUS_UNAVAILABLE', `Prometheus is unavailable (${detail})`, true);
  }
  return new MetricsBackendError('PROMETHEUS_BAD_QUERY', `Prometheus rejected the query (${detail})`, false);
}

/**
 * A {@link MetricsBackend} over the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`),
 * sending form-encoded POSTs so long selectors never hit URL limits. Works with self-hosted
 * Prometheus and Azure Managed Prometheus (bearer token from `getToken`).
 */
export function createPrometheusBackend(opts: PrometheusBackendOptions): MetricsBackend {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const doFetch = opts.fetch ?? fetch;

  async function call(path: string, form: Record<string, string>, signal?: AbortSignal) {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (opts.getToken) {
      try {
        headers.authorization = `Bearer ${await opts.getToken()}`;
      } catch (err) {
        throw new MetricsBackendError('PROMETHEUS_TOKEN', 'could not get a token for Prometheus', true, {
          cause: err,
        });
      }
    }
    let res: Response;
    let body: unknown;
    try {
      res = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers,
        body: new URLSearchParams({ ...form, timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` }),
        signal: combined,
      });
      const text = await res.text();
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    } catch (err) {
      if (timeout.aborted) {
        throw new MetricsBackendError(
          'PROMETHEUS_TIMEOUT',
          `Prometheus did not answer within ${timeoutMs} ms`,
          true,
          {
            cause: err,
          },
        );
      }
      if (signal?.aborted) throw new MetricsBackendError('QUERY_ABORTED', 'the query was cancelled', true);
      if (err instanceof MetricsBackendError) throw err;
      throw new MetricsBackendError('PROMETHEUS_UNREACHABLE', `cannot reach Prometheus at ${base}`, true, {
        cause: err,
      });
    }
    if (!res.ok) throw classifyHttpError(res.status, body);
    const parsed = successBody.safeParse(body);
    if (!parsed.success) {
      const err = errorBody.safeParse(body);
      if (err.success) throw classifyHttpError(422, body);
      throw new MetricsBackendError(
        'PROMETHEUS_BAD_RESPONSE',
        'Prometheus answered in an unexpected shape',
        false,
      );
    }
    return parsed.data.data;
  }

  return {
    id: 'prometheus',
    async instant(spec: GpuQuerySpec, q: QueryOptions = {}): Promise<InstantSample[]> {
      const at = q.at ?? opts.clock.now();
      const data = await call('/api/v1/query', { query: compilePromQL(spec), time: seconds(at) }, q.signal);
      if (data.resultType === 'vector') {
        return data.result
          .map((r) => ({ labels: r.metric, at: r.value[0] * 1000, value: parseSampleValue(r.value[1]) }))
          .filter((s) => Number.isFinite(s.value));
      }
      if (data.resultType === 'scalar') {
        const value = parseSampleValue(data.result[1]);
        return Number.isFinite(value) ? [{ labels: {}, at: data.result[0] * 1000, value }] : [];
      }
      throw new MetricsBackendError(
        'PROMETHEUS_BAD_RESPONSE',
        `expected a vector, got ${data.resultType}`,
        false,
      );
    },
    async range(spec: GpuQuerySpec, q: QueryOptions = {}): Promise<RangeSeries[]> {
      const w = rangeWindow(spec, q.at ?? opts.clock.now());
      const form = {
        query: compilePromQL(spec),
        start: seconds(w.start),
        end: seconds(w.end),
        step: seconds(w.stepMs),
      };
      const data = await call('/api/v1/query_range', form, q.signal);
      if (data.resultType !== 'matrix') {
        throw new MetricsBackendError(
          'PROMETHEUS_BAD_RESPONSE',
          `expected a matrix, got ${data.resultType}`,
          false,
        );
      }
      // Non-finite points become gaps: a chart cannot draw NaN and should not draw Inf.
      return data.result.map((r) => ({
        labels: r.metric,
        points: r.values
          .map(([t, v]): [number, number] => [Math.round(t * 1000), parseSampleValue(v)])
          .filter(([, v]) => Number.isFinite(v)),
      }));
    },
  };
}
