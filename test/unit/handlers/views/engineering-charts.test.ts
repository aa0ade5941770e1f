import { describe, expect, it } from 'vitest';
import { renderChartPng } from '../../../../cards/charts/render-chart.ts';
import { errorCharts, errorSpikes, gpuHeatmap } from '../../../../handlers/views/engineering-charts.ts';
import type { ErrorRow } from '../../../../handlers/views/engineering-view.ts';
import { fitTrend } from '../../../../handlers/views/volume-projection.ts';

const T0 = Date.parse('2026-11-28T08:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

function bucket(i: number, endpoint: string, rate5xx: number, requests = 500): ErrorRow {
  const errors = Math.round((requests * rate5xx) / 100);
  return {
    TimeGenerated: new Date(T0 + i * 5 * MIN).toISOString(),
    OperationName: endpoint,
    Requests: requests,
    Errors4xx: 0,
    Errors5xx: errors,
    Rate4xx: 0,
    Rate5xx: (100 * errors) / requests,
  };
}

describe('engineering view charts', () => {
  it('a spike is an endpoint’s worst bucket at ≥ 1 % and ≥ 3× its median, with ≥ 5 errors', () => {
    const rows = [
      ...[0.4, 0.6, 0.4, 8, 0.6, 0.4].map((r, i) => bucket(i, 'POST /batch/item', r)),
      // Always 2 %: high, but its usual share, so no spike.
      ...[2, 2, 2, 2, 2, 2].map((r, i) => bucket(i, 'POST /answer', r)),
      // 4 % of 50 requests is 2 errors: too few to mark.
      ...[0, 0, 0, 4, 0, 0].map((r, i) => bucket(i, 'POST /embed', r, 50)),
    ];
    expect(errorSpikes(rows)).toEqual([
      { endpoint: 'POST /batch/item', kind: '5xx', at: T0 + 15 * MIN, rate: 8 },
    ]);
    const spec = errorCharts(rows, errorSpikes(rows), 'UTC');
    expect(spec.markers).toEqual([{ at: T0 + 15 * MIN, label: '5xx POST /batch/item' }]);
    // One endpoint, one colour, in both panels.
    const colour = (p: number) => spec.panels[p]!.series.find((s) => s.name === 'POST /batch/item')!.color;
    expect(colour(0)).toBe(colour(1));
  });

  it('the heatmap has a column per step and a grey (null) cell where a node sent nothing', () => {
    const step = 2 * MIN;
    const end = T0 + 60 * MIN;
    const points = (from: number): [number, number][] =>
      Array.from({ length: 30 }, (_, i) => [T0 + (i + 1) * step, 50] as [number, number]).slice(from);
    const spec = gpuHeatmap(
      [
        { labels: { Hostname: 'node-1' }, points: points(0) },
        // A newer exporter's spelling of the host label; this node stopped reporting for its first 10 steps.
        { labels: { hostname: 'node-0' }, points: points(10) },
      ],
      T0,
      end,
      step,
      'UTC',
    );
    expect(spec.times).toHaveLength(30);
    expect(spec.rows.map((r) => r.name)).toEqual(['node-0', 'node-1']);
    expect(spec.rows[0]!.cells.slice(0, 10)).toEqual(Array(10).fill(null));
    expect(spec.rows[1]!.cells.every((c) => c === 50)).toBe(true);
    const { png, height } = renderChartPng(spec);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(height).toBeGreaterThan(100);
  });

  it('the request trend is the least-squares line through full days', () => {
    const days: [number, number][] = [0, 1, 2, 3].map((d) => [T0 + d * DAY, 1000 + 100 * d]);
    const trend = fitTrend(days)!;
    expect(trend.perDayChange).toBeCloseTo(100, 6);
    expect(trend.at(T0 + 33 * DAY)).toBeCloseTo(4300, 6);
    expect(fitTrend(days.slice(0, 1))).toBeUndefined();
  });
});
