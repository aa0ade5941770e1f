import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { decodeClockEvents } from '../../../queries/gpu/clock-events.ts';
import { IB_NODE_LABEL } from '../../../queries/gpu/metric-names.ts';
import { createDcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { renderDcgmMetrics } from '../../../sim/dcgm/exposition.ts';
import { IB_NODE_LABEL as SIM_IB_NODE_LABEL } from '../../../sim/dcgm/families.ts';

const MIN = 60_000;

/** Parses exposition text into `{name, labels (ordered), value}`; fails on any malformed line. */
function parseExposition(text: string) {
  const samples: Array<{ name: string; labels: Array<[string, string]>; value: number }> = [];
  const typed = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') typed.set(meta[2]!, meta[3]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m) throw new Error(`malformed line: ${line}`);
    const labels: Array<[string, string]> = [];
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    let consumed = 0;
    for (let lm = re.exec(m[2]!); lm !== null; lm = re.exec(m[2]!)) {
      labels.push([lm[1]!, lm[2]!]);
      consumed = re.lastIndex;
    }
    if (consumed !== m[2]!.length) throw new Error(`malformed labels: ${line}`);
    if (!typed.has(m[1]!)) throw new Error(`sample before its TYPE line: ${line}`);
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, typed };
}

function series(text: string, name: string, node: string, gpu?: number) {
  return parseExposition(text).samples.filter((s) => {
    const l = Object.fromEntries(s.labels);
    return (
      s.name === name &&
      (l.Hostname ?? l.hostname ?? l.node) === node &&
      (gpu === undefined || l.gpu === String(gpu))
    );
  });
}

describe('DCGM simulator exposition', () => {
  it('renders the default 8 × 8 H100 cluster with the exporter label order', () => {
    const cluster = createDcgmCluster(new ManualClock());
    const { samples, typed } = parseExposition(renderDcgmMetrics(cluster));
    const util = samples.filter((s) => s.name === 'DCGM_FI_DEV_GPU_UTIL');
    expect(util).toHaveLength(64);
    expect(new Set(util.map((s) => Object.fromEntries(s.labels).Hostname))).toEqual(
      new Set(Array.from({ length: 8 }, (_, i) => `node-${i}`)),
    );
    expect(util[0]!.labels.map(([k]) => k)).toEqual([
      'gpu',
      'UUID',
      'pci_bus_id',
      'device',
      'modelName',
      'Hostname',
      'DCGM_FI_DRIVER_VERSION',
      'DCGM_FI_DEV_SERIAL',
      'container',
      'namespace',
      'pod',
    ]);
    const xid = samples.find((s) => s.name === 'DCGM_FI_DEV_XID_ERRORS')!;
    expect(xid.labels.map(([k]) => k).slice(8)).toEqual([
      'container',
      'err_code',
      'err_msg',
      'namespace',
      'pod',
    ]);
    expect(typed.get('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL')).toBe('counter');
    expect(typed.get('DCGM_FI_DEV_GPU_TEMP')).toBe('gauge');
    expect(typed.get('node_infiniband_port_data_transmitted_bytes_total')).toBe('counter');
    for (const name of [
      'DCGM_FI_DEV_CLOCKS_EVENT_REASONS',
      'DCGM_FI_PROF_NVLINK_TX_BYTES',
      'DCGM_FI_DEV_FB_FREE',
    ]) {
      expect(samples.some((s) => s.name === name)).toBe(true);
    }
    expect(Object.fromEntries(util[0]!.labels).modelName).toBe('NVIDIA H100 80GB HBM3');
  });

  it('uses the lower-case hostname label when configured', () => {
    const cluster = createDcgmCluster(new ManualClock(), { hostnameLabel: 'hostname', nodes: 2 });
    const text = renderDcgmMetrics(cluster);
    expect(text).toContain('hostname="node-1"');
    expect(text).not.toContain('Hostname=');
  });

  it('puts framebuffer used + free at the usable total and splits pools', () => {
    const cluster = createDcgmCluster(new ManualClock());
    for (const n of cluster.sample()) {
      for (const g of n.gpus) expect(g.fbUsedMiB + g.fbFreeMiB).toBe(81_559 - 559);
    }
    expect(cluster.nodes.filter((n) => n.pool === 'training').map((n) => n.name)).toEqual([
      'node-4',
      'node-5',
      'node-6',
      'node-7',
    ]);
  });

  it('agrees with the query side on the node-exporter node label', () => {
    expect(SIM_IB_NODE_LABEL).toBe(IB_NODE_LABEL);
  });
});

describe('DCGM simulator scenarios', () => {
  it('heats node-7 past 83 °C with thermal clock events, then cools after recover', () => {
    const clock = new ManualClock();
    const cluster = createDcgmCluster(clock);
    const before = Math.max(
      ...series(renderDcgmMetrics(cluster), 'DCGM_FI_DEV_GPU_TEMP', 'node-7').map((s) => s.value),
    );
    expect(before).toBeLessThan(78);
    cluster.heatUp('node-7');
    clock.advance(10 * MIN);
    const text = renderDcgmMetrics(cluster);
    const temps = series(text, 'DCGM_FI_DEV_GPU_TEMP', 'node-7');
    expect(Math.max(...temps.map((s) => s.value))).toBeGreaterThan(83);
    const hot = temps.find((s) => s.value > 83)!;
    const gpu = Number(Object.fromEntries(hot.labels).gpu);
    const mask = series(text, 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS', 'node-7', gpu)[0]!.value;
    expect(decodeClockEvents(mask).map((r) => r.key)).toContain('sw_thermal');
    // Other nodes are unaffected.
    expect(Math.max(...series(text, 'DCGM_FI_DEV_GPU_TEMP', 'node-6').map((s) => s.value))).toBeLessThan(78);

    cluster.recover('node-7');
    clock.advance(10 * MIN);
    const after = series(renderDcgmMetrics(cluster), 'DCGM_FI_DEV_GPU_TEMP', 'node-7');
    expect(Math.max(...after.map((s) => s.value))).toBeLessThan(78);
  });

  it('raises an uncorrectable ECC error with XID 48 on one GPU of node-3', () => {
    const clock = new ManualClock();
    const cluster = createDcgmCluster(clock);
    cluster.eccError('node-3', 2);
    clock.advance(30_000);
    const text = renderDcgmMetrics(cluster);
    const dbe = series(text, 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', 'node-3');
    expect(dbe.filter((s) => s.value > 0).map((s) => Object.fromEntries(s.labels).gpu)).toEqual(['2']);
    const xid = series(text, 'DCGM_FI_DEV_XID_ERRORS', 'node-3', 2)[0]!;
    expect(xid.value).toBe(48);
    expect(Object.fromEntries(xid.labels)).toMatchObject({ err_code: '48', err_msg: 'Double Bit ECC Error' });
    cluster.recover('node-3', 'ecc');
    expect(series(renderDcgmMetrics(cluster), 'DCGM_FI_DEV_XID_ERRORS', 'node-3', 2)[0]!.value).toBe(0);
  });

  it('idles training GPUs and fills framebuffers past 95 %', () => {
    const clock = new ManualClock();
    const cluster = createDcgmCluster(clock);
    cluster.idleGpus('node-5', { gpus: [0, 1] });
    cluster.memoryPressure('node-1');
    clock.advance(5 * MIN);
    const n5 = cluster.sample().find((n) => n.node.name === 'node-5')!;
    expect(n5.gpus[0]!.utilPct).toBeLessThan(5);
    expect(n5.gpus[1]!.utilPct).toBeLessThan(5);
    expect(n5.gpus[2]!.utilPct).toBeGreaterThan(80);
    expect(n5.gpus[0]!.clockEventReasons & 0x1).toBe(1);
    const n1 = cluster.sample().find((n) => n.node.name === 'node-1')!;
    // Only GPUs a pod holds have a framebuffer to fill; node-1 also has free GPUs.
    const held = n1.gpus.filter((g) => g.gpu.pod);
    expect(held.length).toBeGreaterThan(0);
    for (const g of held) expect((100 * g.fbUsedMiB) / (g.fbUsedMiB + g.fbFreeMiB)).toBeGreaterThan(95);
  });

  it('takes an InfiniBand port down, counts it, and stalls the training job', () => {
    const clock = new ManualClock();
    const cluster = createDcgmCluster(clock);
    const tx0 = series(
      renderDcgmMetrics(cluster),
      'node_infiniband_port_data_transmitted_bytes_total',
      'node-6',
    );
    cluster.ibLinkDown('node-6', 'mlx5_3');
    cluster.ibErrors('node-6', 'mlx5_1');
    clock.advance(2 * MIN);
    const text = renderDcgmMetrics(cluster);
    const state = series(text, 'node_infiniband_port_state_id', 'node-6');
    expect(state.filter((s) => s.value === 1).map((s) => Object.fromEntries(s.labels).device)).toEqual([
      'mlx5_3',
    ]);
    const downed = series(text, 'node_infiniband_link_downed_total', 'node-6');
    expect(downed.find((s) => Object.fromEntries(s.labels).device === 'mlx5_3')!.value).toBe(1);
    const tx1 = series(text, 'node_infiniband_port_data_transmitted_bytes_total', 'node-6');
    const dev = (arr: typeof tx0, d: string) =>
      arr.find((s) => Object.fromEntries(s.labels).device === d)!.value;
    expect(dev(tx1, 'mlx5_3')).toBe(dev(tx0, 'mlx5_3'));
    expect(dev(tx1, 'mlx5_0')).toBeGreaterThan(dev(tx0, 'mlx5_0'));
    const sym = series(text, 'node_infiniband_symbol_error_total', 'node-6');
    expect(dev(sym, 'mlx5_1') - dev(sym, 'mlx5_0')).toBeGreaterThan(1000);
    // One bad port slows every worker of the job.
    const n4 = cluster.sample().find((n) => n.node.name === 'node-4')!;
    expect(Math.max(...n4.gpus.map((g) => g.utilPct))).toBeLessThan(50);
  });

  it('rejects unknown nodes and GPUs with codes', () => {
    const cluster = createDcgmCluster(new ManualClock());
    expect(() => cluster.heatUp('node-70')).toThrow(expect.objectContaining({ code: 'UNKNOWN_NODE' }));
    expect(() => cluster.eccError('node-3', 9)).toThrow(expect.objectContaining({ code: 'UNKNOWN_GPU' }));
  });

  it('is a pure function of time: the past samples the same before and after later scenarios', () => {
    const clock = new ManualClock();
    const cluster = createDcgmCluster(clock);
    const t = clock.now();
    const first = renderDcgmMetrics(cluster, { at: t });
    clock.advance(MIN);
    cluster.heatUp('node-7');
    clock.advance(5 * MIN);
    expect(renderDcgmMetrics(cluster, { at: t })).toBe(first);
  });
});

describe('DCGM simulator scenario coherence with the alert story', () => {
  it('heats only the named GPUs to their peak', () => {
    const clock = new ManualClock();
    const cluster = createDcgmCluster(clock);
    cluster.heatUp('node-7', { gpus: [3], rampMs: 60_000 });
    clock.advance(2 * MIN);
    cluster.heatUp('node-7', { gpus: [4], rampMs: 60_000, peakC: 86 });
    clock.advance(2 * MIN);
    const gpus = cluster.sample().find((n) => n.node.name === 'node-7')!.gpus;
    const hot = gpus.filter((g) => g.tempC > 83).map((g) => [g.gpu.index, g.tempC]);
    expect(hot).toEqual([
      [3, 88],
      [4, 86],
    ]);
  });
});
