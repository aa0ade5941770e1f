import type { DcgmCluster } from './cluster.ts';
import { collectDcgmFamilies, collectInfinibandFamilies, type MetricFamily } from './families.ts';

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Integers as integers; floats the way the exporter prints them (Go's %f). */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return Number.isInteger(value) ? String(value) : value.toFixed(6);
}

/** Renders metric families in the Prometheus text exposition format (version 0.0.4). */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (f.series.length === 0) continue;
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.series) {
      const labels = s.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
      lines.push(`${f.name}{${labels}} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface RenderMetricsOptions {
  /** Instant to sample; default the cluster's clock. */
  at?: number;
  /** Only this node, as one node's exporter would answer. */
  node?: string;
  /** Which exporters to include (default both). */
  include?: ReadonlyArray<'dcgm' | 'infiniband'>;
}

/** The `/metrics` text of the simulated dcgm-exporter (and node-exporter InfiniBand series). */
export function renderDcgmMetrics(cluster: DcgmCluster, opts: RenderMetricsOptions = {}): string {
  const include = opts.include ?? ['dcgm', 'infiniband'];
  const nodes = cluster.sample(opts.at).filter((n) => opts.node === undefined || n.node.name === opts.node);
  const families = [
    ...(include.includes('dcgm') ? collectDcgmFamilies(cluster.options, nodes) : []),
    ...(include.includes('infiniband') ? collectInfinibandFamilies(nodes) : []),
  ];
  return renderExposition(families);
}
