import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuNodeCard } from '../../cards/templates/gpu-node.ts';
import { ManualClock, systemClock } from '../../core/clock.ts';
import { runGpuInstant } from '../../queries/backends/metrics-backend.ts';
import { createPrometheusBackend } from '../../queries/backends/prometheus.ts';
import { gpuNodeState } from '../../queries/gpu/catalog.ts';
import { assembleGpuRows } from '../../queries/gpu/node-readings.ts';
import { createDcgmCluster } from '../../sim/dcgm/cluster.ts';
import {
  type BackfilledPrometheus,
  PROMETHEUS,
  PROMTOOL,
  simulatorOpenMetrics,
  startBackfilledPrometheus,
} from '../helpers/backfilled-prometheus.ts';
import { requireBinary } from '../helpers/require-binary.ts';

const available = [PROMETHEUS, PROMTOOL].every((b) => requireBinary(b, 'apt-get install -y prometheus'));
const MIN = 60_000;
const HOUR = 60 * MIN;
// A fixed hour a few hours back, inside the default retention; the cluster's clock walks it.
const T0 = Math.floor((Date.now() - 4 * HOUR) / HOUR) * HOUR;
const END = T0 + HOUR;

/**
 * An hour of the simulated fleet on a real Prometheus: node-3 GPU 2 has an uncorrectable ECC
 * error (remap pending) and GPU 6 a failed remap; node-5 GPU 3 has NVLink errors for 20 minutes;
 * node-1's power brake is asserted for the last 30 minutes.
 */
function world(): string {
  const clock = new ManualClock(T0);
  const cluster = createDcgmCluster(clock, { nodes: 6, firstTrainingNode: 4 });
  clock.advance(10 * MIN);
  cluster.eccError('node-3', 2);
  cluster.xidError('node-3', 6, 64);
  cluster.nvlinkErrors('node-5', { gpus: [3] });
  clock.advance(20 * MIN);
  cluster.recover('node-5', 'nvlink-errors');
  cluster.powerBrake('node-1');
  return simulatorOpenMetrics(cluster, T0, END, 15_000);
}

describe.skipIf(!available)('row remapping, NVLink errors and throttle time from a real Prometheus', () => {
  let prom: BackfilledPrometheus | undefined;
  beforeAll(async () => {
    prom = await startBackfilledPrometheus(world());
  }, 60_000);
  afterAll(async () => prom?.stop());

  const rowsOf = async (node: string) => {
    const backend = createPrometheusBackend({ baseUrl: prom!.baseUrl, clock: systemClock, timeoutMs: 5_000 });
    return assembleGpuRows(
      await runGpuInstant(backend, gpuNodeState, { node, errorWindow: '1h' }, { at: END }),
    );
  };

  it('reads the remap state per GPU and grades it on the /gpu card', async () => {
    const rows = await rowsOf('node-3');
    expect(rows).toHaveLength(8);
    const gpu2 = rows.find((r) => r.gpu === 2)!;
    expect([gpu2.remapPending, gpu2.remapFailure, gpu2.remapUncorrectableRows]).toEqual([1, 0, 1]);
    expect(rows.find((r) => r.gpu === 6)!.remapFailure).toBe(1);
    expect(rows.find((r) => r.gpu === 0)!.remapPending).toBe(0);
    // H100s remap rows instead of retiring pages: the exporter reports no retired pages at all.
    expect(gpu2.retiredPages).toBeUndefined();
    const card = gpuNodeCard({
      node: 'node-3',
      rows,
      rangeLabel: 'last hour',
      time: { timeZone: 'UTC', now: END },
    });
    const notices = card.sections
      .filter((s) => s.kind === 'notice')
      .map((s) => s.kind === 'notice' && s.text);
    expect(notices).toContainEqual(
      expect.stringMatching(/^GPU 6: .*row remapping failed: Drain the node and reset the GPU/),
    );
    const table = card.sections.find((s) => s.kind === 'table' && s.title === 'GPUs');
    const errors = table?.kind === 'table' ? table.rows.map((r) => r[5]) : [];
    expect(errors[2]).toEqual({ text: 'ECC 1 · XID 48 · remap pending', tone: 'attention' });
    expect(errors[6]).toEqual({ text: 'XID 64 · remap failed', tone: 'attention' });
  });

  it('reads NVLink errors as their increase over the window, and the share of time throttled', async () => {
    const n5 = (await rowsOf('node-5')).find((r) => r.gpu === 3)!;
    // 20 minutes of errors: 20 CRC flit + 5 CRC data per second, 2 replays, a recovery every 2 minutes.
    expect(n5.nvlinkCrcErrors).toBeGreaterThan(25 * 1200 * 0.9);
    expect(n5.nvlinkCrcErrors).toBeLessThan(25 * 1200 * 1.1);
    expect(Math.round(n5.nvlinkRecoveryErrors!)).toBeGreaterThanOrEqual(10);
    const brake = (await rowsOf('node-1')).find((r) => r.gpu === 0)!;
    // Braked for the last 30 of 60 minutes: about half the window.
    expect(brake.powerThrottledPct).toBeGreaterThan(45);
    expect(brake.powerThrottledPct).toBeLessThan(55);
    expect(brake.thermalThrottledPct).toBe(0);
    const card = gpuNodeCard({
      node: 'node-1',
      rows: [brake],
      rangeLabel: 'last hour',
      time: { timeZone: 'UTC', now: END },
    });
    const table = card.sections.find((s) => s.kind === 'table' && s.title === 'GPUs');
    const clocks = table?.kind === 'table' ? table.rows[0]![6] : undefined;
    expect(clocks).toMatchObject({ tone: 'attention' });
    expect(JSON.stringify(clocks)).toMatch(/HW power brake.*power 5\d% of the time/);
  });
});
