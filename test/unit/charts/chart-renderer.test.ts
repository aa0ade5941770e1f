import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerChartRenderer, inlineChartRenderer } from '../../../cards/charts/chart-renderer.ts';
import { buildGpuNodeChart } from '../../../cards/charts/gpu-node-chart.ts';

const START = Date.parse('2026-11-28T09:00:00Z');
const ramp = (n: number, from: number, to: number): Array<[number, number]> =>
  Array.from({ length: n }, (_, i) => [START + i * 10_000, from + ((to - from) * i) / (n - 1)]);

const spec = buildGpuNodeChart({
  node: 'node-7',
  rangeLabel: 'last hour',
  timeZone: 'UTC',
  workload: 'throughput',
  history: {
    utilAvg: ramp(361, 95, 40),
    utilMin: ramp(361, 93, 5),
    tempMax: ramp(361, 70, 89),
    tempAvg: ramp(361, 68, 84),
    fbPctMax: ramp(361, 80, 81),
  },
});

describe('the worker chart renderer', () => {
  const renderer = createWorkerChartRenderer(1);
  afterAll(() => renderer.close());

  it('renders in a worker thread the same PNG as on the calling thread', async () => {
    const [inWorker, inline] = await Promise.all([renderer.render(spec), inlineChartRenderer.render(spec)]);
    expect(Buffer.isBuffer(inWorker)).toBe(true);
    expect(inWorker.equals(inline)).toBe(true);
  });

  it('passes a renderer error back as an error', async () => {
    await expect(renderer.render({ ...spec, panels: [] } as never)).rejects.toThrow();
    // and the worker still renders afterwards
    expect((await renderer.render(spec)).length).toBeGreaterThan(1000);
  });
});
