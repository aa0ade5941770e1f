import type { ChartSpecInput } from './chart-spec.ts';

type PanelInput = ChartSpecInput['panels'][number];

type Points = ReadonlyArray<readonly [number, number]>;

/** One error series of `gpu-error-history`: its labels (gpu, xid) and points. */
export interface ErrorSeries {
  labels: Readonly<Record<string, string>>;
  points: Points;
}

/** The parts of `gpu-error-history`, by name. */
export interface GpuErrorHistory {
  xid: readonly ErrorSeries[];
  xidCount: readonly ErrorSeries[];
  eccDbe: readonly ErrorSeries[];
  remapUncorrectable: readonly ErrorSeries[];
  remapPending: readonly ErrorSeries[];
  remapFailure: readonly ErrorSeries[];
}

export interface GpuErrorChartInput {
  node: string;
  gpu?: number;
  rangeLabel: string;
  timeZone?: string;
  history: GpuErrorHistory;
  width?: number;
  marker?: { at: number; label: string };
}

/** Series drawn per panel; a node-wide chart shows the GPUs that had errors. */
const MAX_SERIES = 6;

const gpuName = (s: ErrorSeries) => `GPU ${s.labels.gpu ?? '?'}`;
const copy = (p: Points): Array<[number, number]> => p.map(([t, v]) => [t, v]);
const hasErrors = (s: ErrorSeries) => s.points.some(([, v]) => v > 0);

/**
 * The series of a part worth drawing: those with a value above zero (most GPUs have none), by GPU;
 * when none has, one flat series says so instead of eight lines at zero.
 */
function drawn(series: readonly ErrorSeries[], name: (s: ErrorSeries) => string, quiet: string) {
  // The exporter labels an XID series with the XID's code, so one GPU's history is several series.
  const byName = new Map<string, Map<number, number>>();
  for (const s of series.filter(hasErrors)) {
    const key = name(s).slice(0, 60);
    const points = byName.get(key) ?? new Map<number, number>();
    for (const [t, v] of s.points) points.set(t, Math.max(v, points.get(t) ?? 0));
    byName.set(key, points);
  }
  const bad = [...byName].slice(0, MAX_SERIES);
  if (bad.length > 0)
    return bad.map(([n, points]) => ({ name: n, points: [...points].sort((a, b) => a[0] - b[0]) }));
  return [{ name: quiet, points: copy(series[0]?.points ?? []) }];
}

/**
 * The chart of an ECC or XID card: what the errors did around the alert, per GPU. The XID gauge
 * (the last XID, so each change is a new one) and the exporter's per-XID counts; uncorrectable
 * ECC errors; row remapping (uncorrectable rows, a pending remap waiting for a reset, a failed one).
 */
export function buildGpuErrorChart(input: GpuErrorChartInput): ChartSpecInput {
  const one = input.gpu !== undefined;
  const who = one ? `${input.node} GPU ${input.gpu}` : input.node;
  const h = input.history;
  const panels: PanelInput[] = [
    {
      title: 'XID (last reported)',
      unit: '',
      min: 0,
      series: drawn(h.xid, gpuName, 'no XID'),
      thresholds: [],
    },
    {
      title: 'Uncorrectable ECC errors (volatile)',
      unit: '',
      min: 0,
      series: drawn(h.eccDbe, gpuName, 'none'),
      thresholds: [],
    },
    {
      title: 'Row remapping',
      unit: '',
      min: 0,
      series: [
        ...drawn(h.remapUncorrectable, (s) => `${gpuName(s)} rows remapped`, 'no rows remapped'),
        ...h.remapPending
          .filter(hasErrors)
          .map((s) => ({ name: `${gpuName(s)} pending`, points: copy(s.points), dashed: true })),
        ...h.remapFailure
          .filter(hasErrors)
          .map((s) => ({ name: `${gpuName(s)} failed`, points: copy(s.points) })),
      ].slice(0, 8),
      thresholds: [],
    },
  ];
  if (h.xidCount.some(hasErrors))
    panels.splice(1, 0, {
      title: 'XIDs counted by the exporter',
      unit: '',
      min: 0,
      series: drawn(h.xidCount, (s) => `${gpuName(s)} XID ${s.labels.xid ?? '?'}`, 'none'),
      thresholds: [],
    });
  return {
    title: `${who} · XID, ECC and row-remap errors`,
    subtitle: `${input.rangeLabel}${one ? '' : ' · GPUs with errors'}`,
    timeZone: input.timeZone ?? 'UTC',
    width: input.width ?? 820,
    markers: input.marker ? [input.marker] : [],
    panels,
  };
}
