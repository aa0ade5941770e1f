import { SIMULATED_AOAI_RESOURCE } from './generate-diagnostics.ts';
import type { RequestColumns } from './generate-requests.ts';

/** Column-wise AzureMetrics rows (only the columns the simulator fills). */
export interface AzureMetricsColumns {
  TimeGenerated: number[];
  ResourceId: string[];
  SubscriptionId: string[];
  ResourceGroup: string[];
  ResourceProvider: string[];
  Resource: string[];
  MetricName: string[];
  Total: number[];
  Count: number[];
  Maximum: number[];
  Minimum: number[];
  Average: number[];
  TimeGrain: string[];
  UnitName: string[];
  Type: string[];
}

/** Empty column buffers. */
export function emptyAzureMetricsColumns(): AzureMetricsColumns {
  return {
    TimeGenerated: [],
    ResourceId: [],
    SubscriptionId: [],
    ResourceGroup: [],
    ResourceProvider: [],
    Resource: [],
    MetricName: [],
    Total: [],
    Count: [],
    Maximum: [],
    Minimum: [],
    Average: [],
    TimeGrain: [],
    UnitName: [],
    Type: [],
  };
}

const RESOURCE_ID =
  `/SUBSCRIPTIONS/${SIMULATED_AOAI_RESOURCE.subscriptionId.toUpperCase()}/RESOURCEGROUPS/` +
  `${SIMULATED_AOAI_RESOURCE.resourceGroup}/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/${SIMULATED_AOAI_RESOURCE.name}`;

/** Total, count, extremes of one metric over one minute, per request (weighted by the requests a row stands for). */
class Cell {
  total = 0;
  count = 0;
  max = Number.NEGATIVE_INFINITY;
  min = Number.POSITIVE_INFINITY;
  add(value: number, requests: number) {
    this.total += value * requests;
    this.count += requests;
    this.max = Math.max(this.max, value);
    this.min = Math.min(this.min, value);
  }
}

/** The exported metrics and their units, in the order the rows are written. */
const METRICS: ReadonlyArray<[string, string]> = [
  ['AzureOpenAIRequests', 'Count'],
  ['ProcessedPromptTokens', 'Count'],
  ['GeneratedTokens', 'Count'],
  ['TokenTransaction', 'Count'],
  ['AzureOpenAITimeToResponse', 'MilliSeconds'],
];

/**
 * Appends one minute (grain PT1M) of the resource's platform metrics as a diagnostic setting
 * exports them to AzureMetrics: aggregated across every dimension (no deployment, no status
 * code), from the same request rows as the logs, each weighted by the requests it stands for, so
 * the totals equal what the Metrics API backend reports summed over deployments and status codes.
 */
export function appendAzureMetricsMinute(
  out: AzureMetricsColumns,
  requests: RequestColumns,
  from: number,
  to: number,
  minuteStart: number,
): void {
  const cells = new Map(METRICS.map(([name]) => [name, new Cell()]));
  for (let i = from; i < to; i++) {
    const props = requests.Properties[i]!;
    if (typeof props.deployment !== 'string' || !props.deployment) continue;
    const n = requests.ItemCount[i]!;
    const prompt = Number(props['tokens.prompt'] ?? 0);
    const generated = Number(props['tokens.completion'] ?? 0);
    cells.get('AzureOpenAIRequests')!.add(1, n);
    cells.get('ProcessedPromptTokens')!.add(prompt, n);
    cells.get('GeneratedTokens')!.add(generated, n);
    cells.get('TokenTransaction')!.add(prompt + generated, n);
    const ttft = requests.Measurements[i]?.ttft_ms;
    if (ttft !== undefined) cells.get('AzureOpenAITimeToResponse')!.add(ttft, n);
  }
  for (const [name, unit] of METRICS) {
    const c = cells.get(name)!;
    if (c.count === 0) continue;
    out.TimeGenerated.push(minuteStart);
    out.ResourceId.push(RESOURCE_ID);
    out.SubscriptionId.push(SIMULATED_AOAI_RESOURCE.subscriptionId);
    out.ResourceGroup.push(SIMULATED_AOAI_RESOURCE.resourceGroup);
    out.ResourceProvider.push('MICROSOFT.COGNITIVESERVICES');
    out.Resource.push(SIMULATED_AOAI_RESOURCE.name);
    out.MetricName.push(name);
    out.Total.push(c.total);
    out.Count.push(c.count);
    out.Maximum.push(c.max);
    out.Minimum.push(c.min);
    out.Average.push(Math.round((1000 * c.total) / c.count) / 1000);
    out.TimeGrain.push('PT1M');
    out.UnitName.push(unit);
    out.Type.push('AzureMetrics');
  }
}
