import { AppError } from '../core/errors.ts';
import { aoaiResourceErrors } from './kql/aoai-resource-errors.ts';
import { availabilityTrend } from './kql/availability-trend.ts';
import { cacheHitRate } from './kql/cache-hit-rate.ts';
import { costPerTeam } from './kql/cost-per-team.ts';
import type { KqlQuery } from './kql/define-kql-query.ts';
import { endpointErrors } from './kql/endpoint-errors.ts';
import { errorSpike } from './kql/error-spike.ts';
import { inventory } from './kql/inventory.ts';
import { jailbreakRate } from './kql/jailbreak-rate.ts';
import { latencyDistribution } from './kql/latency-distribution.ts';
import { latencyPercentiles } from './kql/latency-percentiles.ts';
import { modelQuality } from './kql/model-quality.ts';
import { modelTraffic } from './kql/model-traffic.ts';
import { modelVersionComparison } from './kql/model-version-comparison.ts';
import { pipelineFreshness } from './kql/pipeline-freshness.ts';
import { promptInjection } from './kql/prompt-injection.ts';
import { promptInjectionSources } from './kql/prompt-injection-sources.ts';
import { responseLength } from './kql/response-length.ts';
import { serviceAvailability } from './kql/service-availability.ts';
import { slowRequests } from './kql/slow-requests.ts';
import { throttleRate } from './kql/throttle-rate.ts';
import { tokenSpend } from './kql/token-spend.ts';
import { tokenUsage } from './kql/token-usage.ts';
import { topFailingOperations } from './kql/top-failing-operations.ts';
import { tpmVsQuota } from './kql/tpm-vs-quota.ts';
import { trafficLatencyErrors } from './kql/traffic-latency-errors.ts';
import { ttftPercentiles } from './kql/ttft-percentiles.ts';
import { zeroSuccess } from './kql/zero-success.ts';
import { PLATFORM_QUERIES } from './platform-queries.ts';

/** A catalog: vetted queries by id. */
export type KqlCatalog = ReadonlyMap<string, KqlQuery>;

/** Builds a catalog (KQL or metric queries) from a list, refusing two queries with the same id. */
export function buildCatalog<Q extends { id: string }>(queries: readonly Q[]): ReadonlyMap<string, Q> {
  const byId = new Map<string, Q>();
  for (const q of queries) {
    if (byId.has(q.id)) throw new AppError('CATALOG_DUPLICATE', `The vetted query "${q.id}" is listed twice`);
    byId.set(q.id, q);
  }
  return byId;
}

/** Every vetted KQL query, listed once, in the order `/kql` shows them. */
export const KQL_CATALOG: KqlCatalog = buildCatalog([
  slowRequests,
  throttleRate,
  trafficLatencyErrors,
  tokenUsage,
  errorSpike,
  latencyDistribution,
  zeroSuccess,
  tpmVsQuota,
  ttftPercentiles,
  topFailingOperations,
  modelVersionComparison,
  modelQuality,
  responseLength,
  costPerTeam,
  tokenSpend,
  serviceAvailability,
  availabilityTrend,
  latencyPercentiles,
  endpointErrors,
  modelTraffic,
  cacheHitRate,
  promptInjection,
  promptInjectionSources,
  jailbreakRate,
  pipelineFreshness,
  aoaiResourceErrors,
  ...PLATFORM_QUERIES,
  inventory,
]);
