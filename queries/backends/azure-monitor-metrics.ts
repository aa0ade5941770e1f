import type { Agent } from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { MetricsClient } from '@azure/monitor-query-metrics';
import { UserFacingError } from '../../core/errors.ts';
import type { MetricAggregation } from '../azure-metrics/define-metric-query.ts';
import { type MetricSeries, odataFilter } from '../azure-metrics/metric-request.ts';
import type { AzureMetricsSource } from './azure-metrics-backend.ts';

export interface AzureMonitorMetricsOptions {
  /** The regional Metrics data-plane endpoint, e.g. `https://eastus2.metrics.monitor.azure.com`. */
  endpoint: string;
  /** ARM ids of the Azure OpenAI resources (one subscription and region, as the batch API requires). */
  resourceIds: readonly string[];
  /** Default: `DefaultAzureCredential` (managed identity, workload identity, Azure CLI …). */
  credential?: TokenCredential;
  /** HTTPS agent (tests trust a self-signed certificate with it). */
  agent?: Agent;
}

/** The dimensions a vetted query reads, by the lower-case name the service may return them under. */
const DIMENSIONS = new Map(
  ['ModelDeploymentName', 'StatusCode', 'IsSpillover'].map((name) => [name.toLowerCase(), name]),
);

/** A metric's REST name: the last segment of its id (its `name` may come back localised). */
const restName = (id: string, name: string) => id.split('/').pop() || name;

/**
 * Platform metrics of the Azure OpenAI resources through `@azure/monitor-query-metrics`
 * (`metrics:getBatch`): the splits by status code, spillover and PTU utilisation that diagnostic
 * settings export without their dimensions, or not at all.
 */
export function createAzureMonitorMetricsSource(options: AzureMonitorMetricsOptions): AzureMetricsSource {
  const client = new MetricsClient(options.endpoint, options.credential ?? new DefaultAzureCredential(), {
    ...(options.agent ? { agent: options.agent } : {}),
  });
  return {
    kind: 'azure',
    resourceIds: options.resourceIds,
    async fetch(request, fetchOptions) {
      let results: Awaited<ReturnType<MetricsClient['queryResources']>>;
      try {
        results = await client.queryResources(
          [...options.resourceIds],
          request.metricNames,
          request.namespace,
          {
            startTime: request.startTime,
            endTime: request.endTime,
            interval: request.interval,
            aggregation: request.aggregation,
            filter: odataFilter(request),
            top: request.top,
            ...(fetchOptions?.signal ? { abortSignal: fetchOptions.signal } : {}),
          },
        );
      } catch (err) {
        const e = err as { code?: unknown; statusCode?: unknown };
        const why =
          typeof e.code === 'string'
            ? e.code
            : typeof e.statusCode === 'number'
              ? `HTTP ${e.statusCode}`
              : '';
        throw new UserFacingError(
          'METRICS_QUERY_FAILED',
          `Azure Monitor metrics query (${request.metricNames.join(', ')}) failed${why ? ` (${why})` : ''}`,
          { cause: err },
        );
      }
      const series: MetricSeries[] = [];
      for (const result of results) {
        for (const metric of result.metrics) {
          const name = restName(metric.id, metric.name);
          if (metric.errorCode && metric.errorCode !== 'Success')
            throw new UserFacingError(
              'METRICS_QUERY_FAILED',
              `Azure Monitor refused metric ${name} (${metric.errorCode}${metric.errorMessage ? `: ${metric.errorMessage.slice(0, 200)}` : ''})`,
            );
          for (const ts of metric.timeseries) {
            const dimensions: Record<string, string> = {};
            for (const m of ts.metadatavalues ?? []) {
              const key = DIMENSIONS.get(String(m.name ?? '').toLowerCase());
              if (key && m.value !== undefined) dimensions[key] = m.value;
            }
            series.push({
              metric: name,
              dimensions,
              points: (ts.data ?? []).map((d) => ({ at: d.timeStamp.getTime(), values: pick(d) })),
            });
          }
        }
      }
      return series;
    },
  };
}

function pick(d: Partial<Record<MetricAggregation, number>>): Partial<Record<MetricAggregation, number>> {
  const values: Partial<Record<MetricAggregation, number>> = {};
  for (const a of ['total', 'average', 'maximum'] as const) if (typeof d[a] === 'number') values[a] = d[a];
  return values;
}
