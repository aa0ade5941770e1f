import { UserFacingError } from '../../core/errors.ts';
import type { MetricCatalog } from '../azure-metrics/catalog.ts';
import type { MetricQuery } from '../azure-metrics/define-metric-query.ts';
import {
  buildMetricRequest,
  describeMetricRequest,
  type MetricRequest,
  type MetricSeries,
  seriesTable,
} from '../azure-metrics/metric-request.ts';
import { checkRange, maxSpanOf } from '../params.ts';
import type { QueryRun } from './logs-backend.ts';
import { QueryParamError, validateParams } from './logs-backend.ts';

/**
 * Where platform metrics of the Azure OpenAI resources come from: the Azure Monitor Metrics API
 * in production, the simulated platform's requests in local mode. Both answer the same series.
 */
export interface AzureMetricsSource {
  readonly kind: 'local' | 'azure';
  /** The resources asked about (ARM ids), shown with the request. */
  readonly resourceIds: readonly string[];
  fetch(request: MetricRequest, options?: { signal?: AbortSignal }): Promise<MetricSeries[]>;
}

/** One run of a vetted metric query; `text` is the request as the service received it. */
export interface MetricsRun extends QueryRun {
  query: MetricQuery;
}

/** Runs vetted metric queries only: an id of the catalog and parameters its zod schema accepts. */
export interface AzureMetricsBackend {
  readonly kind: 'local' | 'azure';
  readonly catalog: MetricCatalog;
  run(
    id: string,
    params: Readonly<Record<string, unknown>>,
    options?: { signal?: AbortSignal },
  ): Promise<MetricsRun>;
}

/** The metric query runner over a source, with the clock that ends relative windows. */
export function createAzureMetricsBackend(
  source: AzureMetricsSource,
  catalog: MetricCatalog,
  now: () => number,
): AzureMetricsBackend {
  return {
    kind: source.kind,
    catalog,
    async run(id, raw, options) {
      const query = catalog.get(id);
      if (!query)
        throw new UserFacingError(
          'METRIC_UNKNOWN_QUERY',
          `There is no vetted metric query "${id.slice(0, 80)}"; the metric queries: ${[...catalog.keys()].join(', ')}.`,
        );
      // Named errors first; then the typed values of the same schema.
      const params = validateParams(query, raw);
      const typed = query.params.parse(raw);
      const at = now();
      const problem = checkRange(typed, maxSpanOf(query.params) ?? 0, at);
      if (problem) throw new QueryParamError('start', `${query.id}: ${problem}.`);
      const request = buildMetricRequest(query, typed, at);
      const series = await source.fetch(request, options);
      return {
        query,
        params,
        text: describeMetricRequest(request, source.resourceIds),
        result: { ...seriesTable(query, series), partial: false },
      };
    },
  };
}
