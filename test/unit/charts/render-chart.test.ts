import { describe, expect, it } from 'vitest';
import { buildChartOption, computeLayout, formatValue, yBounds } from '../../../cards/charts/build-option.ts';
import { chartPanel, chartSpec } from '../../../cards/charts/chart-spec.ts';
import { buildGpuNodeChart, type GpuNodeChartInput } from '../../../cards/charts/gpu-node-chart.ts';
import { renderChartPng, renderChartSvg } from '../../../cards/charts/render-chart.ts';
import { formatTimeLabel, timeZoneName } from '../../../cards/charts/time-labels.ts';

const START = Date.parse('2026-11-28T09:00:00Z');

function ramp(n: number, from: number, to: number): Array<[number, number]> {
  return Array.from({ length: n }, (_, i) => [START + i * 10_000, from + ((to - from) * i) / (n - 1)]);
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const nodeInput = (): GpuNodeChartInput => ({
  node: 'node-7',
  rangeLabel: 'last hour',
  timeZone: 'Europe/Paris',
  workload: 'throughput',
  history: {
    utilAvg: ramp(361, 95, 40),
    utilMin: ramp(361, 93, 5),
    tempMax: ramp(361, 70, 89),
    tempAvg: ramp(361, 68, 84),
    fbPctMax: ramp(361, 80, 81),
  },
});
const nodeChart = () => buildGpuNodeChart(nodeInput());

describe('chart rendering', () => {
  it('renders the GPU node chart to a PNG of the layout size', () => {
    const { png, width, height } = renderChartPng(nodeChart());
    expect(pngSize(png)).toEqual({ width, height });
    expect(width).toBe(820);
    expect(height).toBeGreaterThan(400);
    // Small enough to attach to a card many times over.
    expect(png.length).toBeLessThan(150_000);
    expect(pngSize(renderChartPng(nodeChart(), 2).png).width).toBe(1640);
  });

  it('writes titles, thresholds, current values and the time zone into the SVG', () => {
    const { svg } = renderChartSvg(nodeChart());
    for (const text of [
      'node-7 · GPU utilisation, temperature, memory',
      'Temperature (°C)',
      'crit 83 °C',
      'warn 78 °C',
      'crit &lt; 10%',
      'hottest GPU  89 °C',
      'mean  84 °C',
      'Times in Europe/Paris (CET)',
      '10:00',
      '11:00',
    ]) {
      expect(svg).toContain(text);
    }
    // Legend entries of different panels named alike stay distinct.
    expect(svg.match(/mean {2}/g)?.length).toBe(2);
  });

  it('marks an instant, such as when an alert fired, on every panel', () => {
    const { svg } = renderChartSvg({
      ...nodeChart(),
      markers: [{ at: START + 40 * 60_000, label: 'alert fired 09:40' }],
    });
    expect(svg.match(/alert fired 09:40/g)).toHaveLength(1);
    const marked = buildChartOption(
      chartSpec.parse(buildGpuNodeChart({ ...nodeInput(), marker: { at: START, label: 'x' } })),
    );
    const lines = (marked as { series: Array<{ markLine?: { data: Array<{ xAxis?: number }> } }> }).series
      .flatMap((s) => s.markLine?.data ?? [])
      .filter((d) => d.xAxis === START);
    expect(lines).toHaveLength(3);
  });

  it('leaves utilisation thresholds off latency (inference) nodes', () => {
    const spec = buildGpuNodeChart({ ...nodeInput(), workload: 'latency' });
    expect(chartSpec.parse(spec).panels[0]!.thresholds).toEqual([]);
  });

  it('draws a gap for missing samples', () => {
    const spec = chartSpec.parse({
      title: 't',
      panels: [
        {
          unit: '%',
          series: [
            {
              name: 's',
              points: [
                [START, 1],
                [START + 10_000, null],
                [START + 20_000, 3],
              ],
            },
          ],
        },
      ],
    });
    const option = buildChartOption(spec) as { series: Array<{ data: unknown[]; connectNulls: boolean }> };
    expect(option.series[0]!.data[1]).toEqual([START + 10_000, null]);
    expect(option.series[0]!.connectNulls).toBe(false);
  });

  it('rejects unknown time zones and empty charts', () => {
    expect(
      chartSpec.safeParse({ title: 't', timeZone: 'Mars/Olympus', panels: nodeChart().panels }).success,
    ).toBe(false);
    expect(chartSpec.safeParse({ title: 't', panels: [] }).success).toBe(false);
  });
});

describe('chart helpers', () => {
  it('extends the y axis to show every threshold', () => {
    const panel = chartPanel.parse({
      unit: '°C',
      series: [{ name: 't', points: ramp(10, 60, 70) }],
      thresholds: [{ value: 83, label: 'crit', tone: 'critical' }],
    });
    const b = yBounds(panel);
    expect(b.max).toBeGreaterThan(83);
    expect(b.min).toBeLessThanOrEqual(60);
    expect((b.max - b.min) / b.interval).toBeLessThanOrEqual(8);
    // Ticks land on the bounds: no odd last label like 85 on a 60, 70, 80 axis.
    expect(Number.isInteger((b.max - b.min) / b.interval)).toBe(true);
    expect(Number.isInteger(b.min / b.interval)).toBe(true);
  });

  it('labels times in the viewer zone', () => {
    const t = Date.parse('2026-11-28T09:30:00Z');
    expect(formatTimeLabel(t, 'Europe/Paris', 3_600_000)).toBe('10:30');
    expect(formatTimeLabel(t, 'Asia/Kolkata', 3_600_000)).toBe('15:00');
    expect(formatTimeLabel(t, 'UTC', 3 * 86_400_000)).toBe('Sat 09:30');
    expect(formatTimeLabel(t, 'UTC', 30 * 86_400_000)).toBe('28 Nov');
    expect(timeZoneName('UTC', t)).toBe('UTC');
  });

  it('formats values with units and sizes panels to the count', () => {
    expect(formatValue(84.125, '°C')).toBe('84 °C');
    expect(formatValue(2.25, '%')).toBe('2.3%');
    const one = computeLayout(chartSpec.parse({ title: 't', panels: [nodeChart().panels[0]!] }));
    const three = computeLayout(chartSpec.parse(nodeChart()));
    expect(three.height).toBeGreaterThan(one.height);
    expect(three.panelTops).toHaveLength(3);
  });
});
