import { DEFAULT_GPU_POLICY, type GpuThresholdPolicy } from '../../queries/gpu/thresholds.ts';
import type { ChartSpecInput } from './chart-spec.ts';

type Points = ReadonlyArray<readonly [number, number | null]>;

/** The series of `gpu-node-history`, by part name. */
export interface GpuNodeHistory {
  utilAvg: Points;
  utilMin: Points;
  tempMax: Points;
  tempAvg: Points;
  fbPctMax: Points;
}

export interface GpuNodeChartInput {
  node: string;
  gpu?: number;
  /** Shown in the title, e.g. `last hour`. */
  rangeLabel: string;
  timeZone?: string;
  history: GpuNodeHistory;
  /** Utilisation thresholds are drawn only for throughput (training/batch) nodes. */
  workload: 'throughput' | 'latency';
  policy?: GpuThresholdPolicy;
  width?: number;
  /** Marks an instant on every panel, e.g. `{ at: alert.startsAt, label: 'alert fired' }`. */
  marker?: { at: number; label: string };
}

const copy = (p: Points): Array<[number, number | null]> => p.map(([t, v]) => [t, v]);

/**
 * The node chart of `/gpu node-7` and GPU alert cards: utilisation, temperature and memory as
 * three stacked panels over one time axis, each with its policy thresholds drawn.
 */
export function buildGpuNodeChart(input: GpuNodeChartInput): ChartSpecInput {
  const policy = input.policy ?? DEFAULT_GPU_POLICY;
  const one = input.gpu !== undefined;
  const who = one ? `${input.node} GPU ${input.gpu}` : input.node;
  const u = policy.utilization;
  return {
    title: `${who} · GPU utilisation, temperature, memory`,
    subtitle: `${input.rangeLabel}${one ? '' : ' · across all GPUs of the node'}`,
    timeZone: input.timeZone ?? 'UTC',
    width: input.width ?? 820,
    markers: input.marker ? [input.marker] : [],
    panels: [
      {
        title: 'Utilisation',
        unit: '%',
        min: 0,
        max: 100,
        series: one
          ? [{ name: 'utilisation', points: copy(input.history.utilAvg) }]
          : [
              { name: 'mean', points: copy(input.history.utilAvg) },
              { name: 'lowest GPU', points: copy(input.history.utilMin), dashed: true },
            ],
        thresholds:
          input.workload === 'throughput'
            ? [
                { value: u.warningBelowPct, label: 'warn <', tone: 'warning' },
                { value: u.criticalBelowPct, label: 'crit <', tone: 'critical' },
              ]
            : [],
      },
      {
        title: 'Temperature',
        unit: '°C',
        series: one
          ? [{ name: 'temperature', points: copy(input.history.tempMax) }]
          : [
              { name: 'hottest GPU', points: copy(input.history.tempMax) },
              { name: 'mean', points: copy(input.history.tempAvg), dashed: true },
            ],
        thresholds: [
          { value: policy.temperature.warningAboveC, label: 'warn', tone: 'warning' },
          { value: policy.temperature.criticalAboveC, label: 'crit', tone: 'critical' },
        ],
      },
      {
        title: 'Memory used',
        unit: '%',
        min: 0,
        max: 100,
        series: [{ name: one ? 'framebuffer' : 'fullest GPU', points: copy(input.history.fbPctMax) }],
        thresholds: [
          { value: policy.framebuffer.warningAbovePct, label: 'warn', tone: 'warning' },
          { value: policy.framebuffer.criticalAbovePct, label: 'crit', tone: 'critical' },
        ],
      },
    ],
  };
}
