/**
 * Chart rendering benchmark: ms per PNG (ECharts SSR → SVG → resvg) against the 50 ms target.
 * Run with `npx tsx bench/charts.ts`. Renders are sequential, as the bot renders them.
 */

import type { ChartSpecInput } from '../cards/charts/chart-spec.ts';
import { buildGpuNodeChart } from '../cards/charts/gpu-node-chart.ts';
import { renderChartPng } from '../cards/charts/render-chart.ts';

const TARGET_MS = 50;
const RUNS = 50;
const WARMUP = 5;
const START = Date.parse('2026-11-28T09:00:00Z');

function series(n: number, base: number, amp: number, phase: number): Array<[number, number]> {
  return Array.from({ length: n }, (_, i) => [START + i * 10_000, base + amp * Math.sin(i / 20 + phase)]);
}

const threeSeries: ChartSpecInput = {
  title: 'node-7 · GPU temperature',
  subtitle: 'last hour · 3 series × 360 points',
  timeZone: 'Europe/Paris',
  panels: [
    {
      unit: '°C',
      series: [
        { name: 'GPU 0', points: series(360, 75, 8, 0) },
        { name: 'GPU 1', points: series(360, 70, 6, 1) },
        { name: 'GPU 2', points: series(360, 65, 5, 2) },
      ],
      thresholds: [
        { value: 78, label: 'warn', tone: 'warning' },
        { value: 83, label: 'crit', tone: 'critical' },
      ],
    },
  ],
};

const nodePreset = buildGpuNodeChart({
  node: 'node-7',
  rangeLabel: 'last hour',
  timeZone: 'Europe/Paris',
  workload: 'throughput',
  history: {
    utilAvg: series(360, 80, 15, 0),
    utilMin: series(360, 60, 20, 1),
    tempMax: series(360, 80, 6, 2),
    tempAvg: series(360, 72, 5, 3),
    fbPctMax: series(360, 82, 2, 4),
  },
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function bench(name: string, spec: ChartSpecInput): void {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    const { png } = renderChartPng(spec);
    const ms = performance.now() - t0;
    if (i >= WARMUP) times.push(ms);
    bytes = png.length;
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  const verdict = p95 <= TARGET_MS ? 'within' : p50 <= TARGET_MS ? 'p50 within, p95 over' : 'OVER';
  console.log(
    `${name.padEnd(34)} p50 ${p50.toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  ` +
      `(${(p50 / TARGET_MS).toFixed(2)}× of ${TARGET_MS} ms target: ${verdict})  png ${(bytes / 1024).toFixed(1)} KiB`,
  );
}

console.log(`chart render: ${RUNS} renders each after ${WARMUP} warm-up, node ${process.version}`);
bench('3 series × 360 points, 1 panel', threeSeries);
bench('GPU node preset, 5 series, 3 panels', nodePreset);
