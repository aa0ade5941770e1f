import type { LogsBackend } from '../backends/logs-backend.ts';
import type { MetricsBackend } from '../backends/metrics-backend.ts';
import { type CostPolicy, teamOfNamespace } from './cost-policy.ts';
import { gpuHoursBetween } from './gpu-hours.ts';
import { type TokenSpendRow, tokenSpendBetween } from './token-spend-rows.ts';

/** Spend of one thing (a team, a deployment, a model, a GPU model) in the policy's currency. */
export interface SpendLine {
  name: string;
  tokens: number;
  tokenCost: number;
  gpuHours: number;
  gpuCost: number;
  total: number;
}

/** Spend over a range, by team, deployment, model and GPU model, with what could not be priced. */
export interface SpendReport {
  currency: string;
  startMs: number;
  endMs: number;
  filter: { team?: string; deployment?: string };
  total: number;
  tokenCost: number;
  gpuCost: number;
  tokens: number;
  gpuHours: number;
  /** Tokens of deployments missing from the price table, and GPU-hours of GPU models missing from it. */
  unpricedTokens: number;
  unpricedGpuHours: number;
  byTeam: SpendLine[];
  byDeployment: SpendLine[];
  /** Deployment and model version (`gpt-4o 2024-11-20`). */
  byModel: SpendLine[];
  byGpuModel: SpendLine[];
  /** Token spend per bucket start, oldest first: the trend. */
  tokenCostByBucket: [number, number][];
  /** The part of the range the GPU metrics covered (null: no GPU data at all). */
  gpuCoveredFrom: number | null;
  /** Namespaces that held GPUs but have no team in the policy. */
  unmappedNamespaces: string[];
}

export interface SpendAsk {
  startMs: number;
  endMs: number;
  bucket: '1h' | '1d';
  team?: string;
  deployment?: string;
}

/** What a team is called when a namespace has none: visible, never folded into someone else's. */
export function unmappedTeam(namespace: string): string {
  return `(namespace ${namespace || 'none'})`;
}

/**
 * Spend between two instants, through the vetted queries only: tokens × the policy's price table
 * (`token-spend` on the logs backend) and GPU-hours × the policy's GPU-hour price per GPU model
 * (`gpu-allocation` on the metrics backend, namespaces mapped to teams by the policy). A
 * deployment's spend is its tokens (GPU-hours belong to namespaces, not model deployments).
 */
export async function spendBetween(
  backends: { logs: LogsBackend; metrics: MetricsBackend | undefined },
  policy: CostPolicy,
  ask: SpendAsk,
): Promise<SpendReport> {
  const [tokenRows, gpu] = await Promise.all([
    tokenSpendBetween(backends.logs, ask),
    backends.metrics && !ask.deployment
      ? gpuHoursBetween(backends.metrics, ask.startMs, ask.endMs)
      : Promise.resolve({ rows: [], coveredFrom: null, coveredTo: null }),
  ]);
  const teams = new Lines();
  const deployments = new Lines();
  const models = new Lines();
  const gpuModels = new Lines();
  const buckets = new Map<number, number>();
  let unpricedTokens = 0;
  for (const r of tokenRows) {
    addTokens(teams, r.team || '(no team)', r);
    addTokens(deployments, r.deployment, r);
    addTokens(models, r.modelVersion ? `${r.deployment} ${r.modelVersion}` : r.deployment, r);
    buckets.set(r.at, (buckets.get(r.at) ?? 0) + r.cost);
    unpricedTokens += r.unpricedTokens;
  }
  let unpricedGpuHours = 0;
  const unmapped = new Set<string>();
  for (const g of gpu.rows) {
    const team = teamOfNamespace(policy, g.namespace);
    if (!team) unmapped.add(g.namespace);
    if (ask.team && team !== ask.team) continue;
    const price = Object.hasOwn(policy.gpuHourPrices, g.model) ? policy.gpuHourPrices[g.model] : undefined;
    if (price === undefined) unpricedGpuHours += g.gpuHours;
    const cost = price === undefined ? 0 : g.gpuHours * price;
    teams.add(team ?? unmappedTeam(g.namespace), { gpuHours: g.gpuHours, gpuCost: cost });
    gpuModels.add(g.model || '(unknown GPU)', { gpuHours: g.gpuHours, gpuCost: cost });
  }
  const all = teams.sorted();
  const sum = (k: keyof Omit<SpendLine, 'name'>) => all.reduce((s, l) => s + l[k], 0);
  return {
    currency: policy.currency,
    startMs: ask.startMs,
    endMs: ask.endMs,
    filter: { team: ask.team, deployment: ask.deployment },
    total: round2(sum('total')),
    tokenCost: round2(sum('tokenCost')),
    gpuCost: round2(sum('gpuCost')),
    tokens: sum('tokens'),
    gpuHours: Math.round(sum('gpuHours') * 10) / 10,
    unpricedTokens,
    unpricedGpuHours: Math.round(unpricedGpuHours * 10) / 10,
    byTeam: all,
    byDeployment: deployments.sorted(),
    byModel: models.sorted(),
    byGpuModel: gpuModels.sorted(),
    tokenCostByBucket: [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([t, c]) => [t, round2(c)]),
    gpuCoveredFrom: gpu.coveredFrom,
    unmappedNamespaces: [...unmapped].sort(),
  };
}

function addTokens(lines: Lines, name: string, r: TokenSpendRow): void {
  lines.add(name, { tokens: r.tokens, tokenCost: r.cost });
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Spend lines by name, summed as rows arrive. */
class Lines {
  private readonly byName = new Map<string, SpendLine>();

  add(name: string, part: Partial<Omit<SpendLine, 'name' | 'total'>>): void {
    const line = this.byName.get(name) ?? {
      name,
      tokens: 0,
      tokenCost: 0,
      gpuHours: 0,
      gpuCost: 0,
      total: 0,
    };
    line.tokens += part.tokens ?? 0;
    line.tokenCost += part.tokenCost ?? 0;
    line.gpuHours += part.gpuHours ?? 0;
    line.gpuCost += part.gpuCost ?? 0;
    line.total = line.tokenCost + line.gpuCost;
    this.byName.set(name, line);
  }

  /** Costliest first, amounts rounded to cents and GPU-hours to a tenth. */
  sorted(): SpendLine[] {
    return [...this.byName.values()]
      .map((l) => ({
        ...l,
        tokenCost: round2(l.tokenCost),
        gpuCost: round2(l.gpuCost),
        total: round2(l.total),
        gpuHours: Math.round(l.gpuHours * 10) / 10,
      }))
      .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  }
}
