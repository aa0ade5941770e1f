import { describe, expect, it } from 'vitest';
import { inlineChartRenderer } from '../../../cards/charts/chart-renderer.ts';
import { buildGpuErrorChart } from '../../../cards/charts/gpu-error-chart.ts';
import { ManualClock } from '../../../core/clock.ts';
import { renderGpuChart } from '../../../handlers/gpu/render-gpu-chart.ts';
import { createLocalMetricsBackend, LocalSampleStore } from '../../../queries/backends/local-metrics.ts';
import { runGpuRange } from '../../../queries/backends/metrics-backend.ts';
import { gpuErrorHistory } from '../../../queries/gpu/catalog.ts';
import { DEFAULT_GPU_POLICY } from '../../../queries/gpu/thresholds.ts';
import { createDcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { backfillInto } from '../../../sim/dcgm/feed-store.ts';

const MIN = 60_000;

/** node-3 GPU 5: a double-bit ECC error (XID 48, a remap pending), then the remap fails (XID 64). */
function memoryFault() {
  const clock = new ManualClock();
  const dcgm = createDcgmCluster(clock);
  const store = new LocalSampleStore();
  clock.advance(10 * MIN);
  dcgm.eccError('node-3', 5);
  clock.advance(3 * MIN);
  dcgm.xidError('node-3', 5, 64);
  clock.advance(5 * MIN);
  backfillInto(store, dcgm, clock.now() - 40 * MIN, clock.now());
  return { clock, backend: createLocalMetricsBackend(store, clock) };
}

describe('the error chart of ECC and XID cards', () => {
  it('draws the XID changes, the ECC count and the row remapping of the GPU', async () => {
    const { clock, backend } = memoryFault();
    const parts = await runGpuRange(
      backend,
      gpuErrorHistory,
      { node: 'node-3', range: '40m' },
      { at: clock.now() },
    );
    const spec = buildGpuErrorChart({
      node: 'node-3',
      rangeLabel: 'last 40m',
      history: {
        xid: parts.xid ?? [],
        xidCount: parts.xidCount ?? [],
        eccDbe: parts.eccDbe ?? [],
        remapUncorrectable: parts.remapUncorrectable ?? [],
        remapPending: parts.remapPending ?? [],
        remapFailure: parts.remapFailure ?? [],
      },
    });
    expect(spec.title).toBe('node-3 · XID, ECC and row-remap errors');
    const panel = (title: string) => spec.panels.find((p) => p.title === title)!;
    // Only the GPU with errors is drawn, not eight flat lines.
    expect(panel('XID (last reported)').series.map((s) => s.name)).toEqual(['GPU 5']);
    const xids = new Set(panel('XID (last reported)').series[0]!.points.map(([, v]) => v));
    expect([...xids].filter((v) => v !== 0).sort()).toEqual([48, 64]);
    expect(panel('Uncorrectable ECC errors (volatile)').series.map((s) => s.name)).toEqual(['GPU 5']);
    expect(panel('Row remapping').series.map((s) => s.name)).toContain('GPU 5 failed');
  });

  it('renders a PNG from a signed request of kind gpu-errors', async () => {
    const { clock, backend } = memoryFault();
    const png = await renderGpuChart(
      {
        v: 1,
        kind: 'gpu-errors',
        node: 'node-3',
        gpu: 5,
        rangeMs: 40 * MIN,
        end: clock.now(),
        expiresAt: clock.now() + MIN,
        marker: { at: clock.now() - 8 * MIN, label: 'alert fired' },
      },
      {
        backend,
        policy: DEFAULT_GPU_POLICY,
        timeZone: 'UTC',
        now: clock.now(),
        renderer: inlineChartRenderer,
      },
    );
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(5_000);
  });

  it('a node without metrics is a user-facing unknown node', async () => {
    const clock = new ManualClock();
    const backend = createLocalMetricsBackend(new LocalSampleStore(), clock);
    await expect(
      renderGpuChart(
        {
          v: 1,
          kind: 'gpu-errors',
          node: 'node-99',
          rangeMs: 40 * MIN,
          end: clock.now(),
          expiresAt: clock.now() + MIN,
        },
        {
          backend,
          policy: DEFAULT_GPU_POLICY,
          timeZone: 'UTC',
          now: clock.now(),
          renderer: inlineChartRenderer,
        },
      ),
    ).rejects.toThrow('No GPU metrics for node "node-99"');
  });
});
