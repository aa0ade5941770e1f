import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { createDcgmCluster, type DcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { collectDcgmFamilies } from '../../../sim/dcgm/families.ts';

const MIN = 60_000;

function setup() {
  const clock = new ManualClock(Date.parse('2026-12-07T10:00:00Z'));
  return { clock, cluster: createDcgmCluster(clock) };
}

/** Value of one family's series for a GPU, or undefined when the exporter does not report it. */
function value(cluster: DcgmCluster, family: string, node: string, gpu: number, xid?: number) {
  const f = collectDcgmFamilies(cluster.options, cluster.sample()).find((x) => x.name === family);
  const s = f?.series.find((x) => {
    const l = Object.fromEntries(x.labels);
    return l.Hostname === node && l.gpu === String(gpu) && (xid === undefined || l.xid === String(xid));
  });
  return s?.value;
}

describe('DCGM simulator error signals', () => {
  it('records a row remap for an uncorrectable ECC error, pending until the GPU is reset', () => {
    const { clock, cluster } = setup();
    expect(value(cluster, 'DCGM_FI_DEV_ROW_REMAP_PENDING', 'node-3', 2)).toBe(0);
    cluster.eccError('node-3', 2);
    clock.advance(MIN);
    expect(value(cluster, 'DCGM_FI_DEV_ROW_REMAP_PENDING', 'node-3', 2)).toBe(1);
    expect(value(cluster, 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 'node-3', 2)).toBe(1);
    expect(value(cluster, 'DCGM_FI_DEV_ROW_REMAP_PENDING', 'node-3', 1)).toBe(0);
    cluster.recover('node-3');
    clock.advance(MIN);
    // The reset activated the spare row: nothing pending, the remapped row stays counted.
    expect(value(cluster, 'DCGM_FI_DEV_ROW_REMAP_PENDING', 'node-3', 2)).toBe(0);
    expect(value(cluster, 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 'node-3', 2)).toBe(1);
  });

  it('counts every XID within the window: 48 then 63 on one GPU are both there, the gauge shows 63', () => {
    const { clock, cluster } = setup();
    cluster.eccError('node-3', 5);
    clock.advance(30_000);
    cluster.xidError('node-3', 5, 63);
    clock.advance(30_000);
    expect(value(cluster, 'DCGM_FI_DEV_XID_ERRORS', 'node-3', 5)).toBe(63);
    expect(value(cluster, 'DCGM_EXP_XID_ERRORS_COUNT', 'node-3', 5, 48)).toBe(1);
    expect(value(cluster, 'DCGM_EXP_XID_ERRORS_COUNT', 'node-3', 5, 63)).toBe(1);
    // A GPU without XIDs reports one zero series, as the exporter does.
    expect(value(cluster, 'DCGM_EXP_XID_ERRORS_COUNT', 'node-3', 4)).toBe(0);
    clock.advance(5 * MIN);
    expect(value(cluster, 'DCGM_EXP_XID_ERRORS_COUNT', 'node-3', 5, 48)).toBeUndefined();
  });

  it('marks the remap failed on XID 64 and drops a GPU that fell off the bus (XID 79) from every family', () => {
    const { clock, cluster } = setup();
    cluster.xidError('node-2', 1, 64);
    cluster.xidError('node-2', 7, 79);
    clock.advance(MIN);
    expect(value(cluster, 'DCGM_FI_DEV_ROW_REMAP_FAILURE', 'node-2', 1)).toBe(1);
    const families = collectDcgmFamilies(cluster.options, cluster.sample());
    for (const f of families) {
      const gpus = f.series.filter((s) => Object.fromEntries(s.labels).Hostname === 'node-2');
      expect(
        gpus.map((s) => Object.fromEntries(s.labels).gpu),
        f.name,
      ).not.toContain('7');
    }
    expect(
      families
        .find((f) => f.name === 'DCGM_FI_DEV_GPU_TEMP')!
        .series.filter((s) => Object.fromEntries(s.labels).Hostname === 'node-2'),
    ).toHaveLength(7);
    expect(() => cluster.xidError('node-2', 1, 0)).toThrow(/XID must be/);
  });

  it('raises NVLink CRC, replay and recovery counters while NVLink errors last', () => {
    const { clock, cluster } = setup();
    const at = (f: string) => value(cluster, f, 'node-5', 3)!;
    const before = at('DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL');
    cluster.nvlinkErrors('node-5', { gpus: [3] });
    clock.advance(5 * MIN);
    expect(at('DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL') - before).toBe(6000);
    expect(at('DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL')).toBe(600);
    expect(at('DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL')).toBe(3);
    expect(value(cluster, 'DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL', 'node-5', 2)).toBe(0);
    cluster.recover('node-5');
    clock.advance(5 * MIN);
    expect(at('DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL')).toBe(600);
  });

  it('sets the power-brake bit and accrues power violation time; heat accrues thermal violation time', () => {
    const { clock, cluster } = setup();
    cluster.powerBrake('node-1');
    cluster.heatUp('node-7', { rampMs: MIN });
    clock.advance(10 * MIN);
    expect(value(cluster, 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS', 'node-1', 0)! & 0x88).toBe(0x88);
    expect(value(cluster, 'DCGM_FI_DEV_POWER_VIOLATION', 'node-1', 0)).toBe(10 * MIN * 1e6);
    expect(value(cluster, 'DCGM_FI_DEV_POWER_USAGE', 'node-1', 0)).toBeLessThan(400);
    // GPU 0 of node-7 runs hottest: above the slowdown point for most of the ten minutes.
    const thermal = value(cluster, 'DCGM_FI_DEV_THERMAL_VIOLATION', 'node-7', 0)!;
    expect(thermal).toBeGreaterThan(5 * MIN * 1e6);
    expect(thermal).toBeLessThanOrEqual(10 * MIN * 1e6);
    expect(value(cluster, 'DCGM_FI_DEV_THERMAL_VIOLATION', 'node-1', 0)).toBe(0);
  });
});
