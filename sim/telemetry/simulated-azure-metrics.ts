import type { Clock } from '../../core/clock.ts';
import type { MetricAggregation } from '../../queries/azure-metrics/define-metric-query.ts';
import { grainMs, type MetricSeries } from '../../queries/azure-metrics/metric-request.ts';
import type { AzureMetricsSource } from '../../queries/backends/azure-metrics-backend.ts';
import {
  DEFAULT_SAMPLING,
  emptyRequestColumns,
  generateMinute,
  type SamplingOptions,
} from './generate-requests.ts';
import { DAY, MINUTE } from './profile.ts';

/**
 * Provisioned throughput of the simulated resource, in tokens per minute: gpt-4o runs on PTU
 * sized to its reviewed quota (the tpm-vs-quota limits), and the 429 storm on it shows as 100 %
 * utilisation, as Azure reports a saturated PTU deployment. The other deployments are standard (pay-as-you-go): no utilisation series.
 */
export const SIMULATED_PTU_TOKENS_PER_MINUTE: Readonly<Record<string, number>> = { 'gpt-4o': 1_000_000 };

/** One minute of one deployment and status code, summed over the requests its rows stand for. */
interface MinuteCell {
  requests: number;
  promptTokens: number;
  generatedTokens: number;
}

/** deployment → status code → sums, for one minute. */
type MinuteRollup = Map<string, Map<string, MinuteCell>>;

export interface SimulatedAzureMetricsOptions {
  clock: Clock;
  /** The scenario start shared with the simulated logs, so both tell the same story. */
  startMs: number;
  sampling?: SamplingOptions;
  provisioned?: Readonly<Record<string, number>>;
}

/**
 * The local platform's Azure Monitor metrics for its Azure OpenAI resource, computed from the
 * same simulated requests as the Application Insights rows (the same seeded minutes), so the 429
 * storm shows alike in `/kql` and in the metrics. Only complete minutes up to the clock exist;
 * nothing spills over (the simulated PTU deployment has no spillover target).
 */
export function createSimulatedAzureMetrics(options: SimulatedAzureMetricsOptions): AzureMetricsSource {
  const sampling = options.sampling ?? DEFAULT_SAMPLING;
  const provisioned = options.provisioned ?? SIMULATED_PTU_TOKENS_PER_MINUTE;
  const cache = new Map<number, MinuteRollup>();
  const rollup = (minute: number): MinuteRollup => {
    const hit = cache.get(minute);
    if (hit) return hit;
    const rows = emptyRequestColumns();
    generateMinute(rows, minute, options.startMs, sampling);
    const out: MinuteRollup = new Map();
    for (let i = 0; i < rows.TimeGenerated.length; i++) {
      const props = rows.Properties[i]!;
      const deployment = String(props.deployment ?? '');
      if (!deployment) continue;
      const byCode = out.get(deployment) ?? new Map<string, MinuteCell>();
      out.set(deployment, byCode);
      const code = rows.ResultCode[i]!;
      const cell = byCode.get(code) ?? { requests: 0, promptTokens: 0, generatedTokens: 0 };
      byCode.set(code, cell);
      const n = rows.ItemCount[i]!;
      cell.requests += n;
      cell.promptTokens += Number(props['tokens.prompt'] ?? 0) * n;
      cell.generatedTokens += Number(props['tokens.completion'] ?? 0) * n;
    }
    cache.set(minute, out);
    // Keep a week of minutes: the Metrics window is at most 3 days, so older ones never return.
    if (cache.size > (DAY / MINUTE) * 7) cache.delete(cache.keys().next().value!);
    return out;
  };
  return {
    kind: 'local',
    resourceIds: [],
    async fetch(request) {
      const grain = grainMs(request.interval) ?? MINUTE;
      const lastComplete = Math.floor(options.clock.now() / MINUTE) * MINUTE;
      const from = Math.floor(request.startTime.getTime() / grain) * grain;
      const until = Math.min(request.endTime.getTime(), lastComplete);
      const series = new Map<
        string,
        MetricSeries & { points: { at: number; values: Partial<Record<MetricAggregation, number>> }[] }
      >();
      const point = (metric: string, deployment: string, split: string | undefined, at: number) => {
        const dimensions: Record<string, string> = { ModelDeploymentName: deployment };
        if (request.splitBy && split !== undefined) dimensions[request.splitBy] = split;
        const key = `${metric}\u0000${deployment}\u0000${split ?? ''}`;
        let s = series.get(key);
        if (!s) {
          s = { metric, dimensions, points: [] };
          series.set(key, s);
        }
        let p = s.points.at(-1);
        if (p?.at !== at) {
          p = { at, values: {} };
          s.points.push(p);
        }
        return p.values;
      };
      for (let grainStart = from; grainStart < until; grainStart += grain) {
        const utilisation = new Map<string, number[]>();
        for (let m = grainStart; m < Math.min(grainStart + grain, until); m += MINUTE) {
          for (const [deployment, byCode] of rollup(m)) {
            if (request.deployment !== '*' && request.deployment !== deployment) continue;
            let tokens = 0;
            let throttled = false;
            for (const [code, cell] of byCode) {
              const split =
                request.splitBy === 'StatusCode'
                  ? code
                  : request.splitBy === 'IsSpillover'
                    ? 'False'
                    : undefined;
              if (request.metricNames.includes('AzureOpenAIRequests'))
                add(point('AzureOpenAIRequests', deployment, split, grainStart), cell.requests);
              if (request.metricNames.includes('ProcessedPromptTokens'))
                add(point('ProcessedPromptTokens', deployment, split, grainStart), cell.promptTokens);
              if (request.metricNames.includes('GeneratedTokens'))
                add(point('GeneratedTokens', deployment, split, grainStart), cell.generatedTokens);
              tokens += cell.promptTokens + cell.generatedTokens;
              throttled ||= code === '429';
            }
            const capacity = provisioned[deployment];
            if (capacity !== undefined) {
              const list = utilisation.get(deployment) ?? [];
              list.push(throttled ? 100 : Math.min(100, (100 * tokens) / capacity));
              utilisation.set(deployment, list);
            }
          }
        }
        if (!request.metricNames.includes('AzureOpenAIProvisionedManagedUtilizationV2')) continue;
        for (const [deployment, list] of utilisation) {
          const v = point('AzureOpenAIProvisionedManagedUtilizationV2', deployment, undefined, grainStart);
          v.maximum = Math.round(10 * Math.max(...list)) / 10;
          v.average = Math.round((10 * list.reduce((a, b) => a + b, 0)) / list.length) / 10;
        }
      }
      return [...series.values()];
    },
  };
}

/** Adds to a total aggregation (the sum over the grain), starting from nothing. */
function add(values: Partial<Record<MetricAggregation, number>>, n: number): void {
  values.total = (values.total ?? 0) + n;
}
