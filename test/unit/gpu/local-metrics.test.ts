import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { createLocalMetricsBackend, LocalSampleStore } from '../../../queries/backends/local-metrics.ts';
import { runGpuInstant, runGpuRange } from '../../../queries/backends/metrics-backend.ts';
import {
  gpuFleetSummary,
  gpuNodeHistory,
  gpuNodeState,
  infinibandPorts,
} from '../../../queries/gpu/catalog.ts';
import { gpuQuerySpec } from '../../../queries/gpu/query-spec.ts';
import { createDcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { backfillInto, scrapeInto, startScrapeLoop } from '../../../sim/dcgm/feed-store.ts';

const MIN = 60_000;

function setup(hostnameLabel: 'Hostname' | 'hostname' = 'Hostname') {
  const clock = new ManualClock();
  const cluster = createDcgmCluster(clock, { hostnameLabel });
  const store = new LocalSampleStore();
  const backend = createLocalMetricsBackend(store, clock);
  return { clock, cluster, store, backend };
}

describe('local metrics backend over the DCGM simulator', () => {
  for (const label of ['Hostname', 'hostname'] as const) {
    it(`answers a node's GPU state with the simulator's values (${label} exporter)`, async () => {
      const { clock, cluster, store, backend } = setup(label);
      cluster.heatUp('node-7', { rampMs: 5 * MIN });
      clock.advance(10 * MIN);
      backfillInto(store, cluster, clock.now() - 40 * MIN, clock.now());
      const state = await runGpuInstant(backend, gpuNodeState, { node: 'node-7' });
      const truth = cluster.sample(clock.now()).find((n) => n.node.name === 'node-7')!;
      expect(state.temp).toHaveLength(8);
      for (const g of truth.gpus) {
        const row = state.temp!.find((s) => s.labels.gpu === String(g.gpu.index))!;
        expect(row.value).toBe(g.tempC);
        expect(row.labels[label]).toBe('node-7');
        expect(state.clockEvents!.find((s) => s.labels.gpu === String(g.gpu.index))!.value).toBe(
          g.clockEventReasons,
        );
      }
      // The 30-minute mean lags the current value: both come from the store, not the simulator.
      expect(state.utilSustained).toHaveLength(8);
    });
  }

  it('summarises the fleet: hottest, errors, memory pressure, per-node means', async () => {
    const { clock, cluster, store, backend } = setup();
    cluster.heatUp('node-7', { rampMs: MIN });
    cluster.eccError('node-3', 4);
    cluster.memoryPressure('node-1', { gpus: [6], rampMs: MIN });
    clock.advance(5 * MIN);
    backfillInto(store, cluster, clock.now() - 35 * MIN, clock.now());
    const fleet = await runGpuInstant(backend, gpuFleetSummary, { limit: 3 });
    expect(fleet.hottest!.map((s) => s.labels.Hostname)).toEqual(['node-7', 'node-7', 'node-7']);
    expect(fleet.hottest![0]!.value).toBeGreaterThanOrEqual(fleet.hottest![2]!.value);
    expect(fleet.eccErrors!.map((s) => [s.labels.Hostname, s.labels.gpu])).toEqual([['node-3', '4']]);
    expect(fleet.xidErrors!.map((s) => s.value)).toEqual([48]);
    expect(fleet.memoryPressure!.map((s) => [s.labels.Hostname, s.labels.gpu])).toEqual([['node-1', '6']]);
    // The GPUs the placement table leaves free carry no pod label.
    const free = cluster.nodes.flatMap((n) =>
      n.gpus.filter((g) => !g.pod).map((g) => `${n.name}/${g.index}`),
    );
    expect(free.length).toBeGreaterThan(0);
    expect(fleet.unassigned!.map((s) => `${s.labels.Hostname}/${s.labels.gpu}`).sort()).toEqual(free.sort());
    expect(fleet.nodeTempMax).toHaveLength(8);
    const n7 = fleet.nodeTempMax!.find((s) => s.labels.Hostname === 'node-7')!;
    expect(Object.keys(n7.labels)).toEqual(['Hostname']);
    expect(n7.value).toBeGreaterThan(83);
  });

  it('answers range queries step by step, ending on a step boundary', async () => {
    const { clock, cluster, store, backend } = setup();
    clock.advance(30 * MIN);
    cluster.heatUp('node-7', { rampMs: 10 * MIN });
    clock.advance(30 * MIN);
    backfillInto(store, cluster, clock.now() - 70 * MIN, clock.now(), 15_000);
    const h = await runGpuRange(backend, gpuNodeHistory, { node: 'node-7', range: '1h' });
    const temp = h.tempMax![0]!.points;
    expect(temp).toHaveLength(241);
    expect(temp.at(-1)![0] % 15_000).toBe(0);
    expect(temp[0]![1]).toBeLessThan(78);
    expect(temp.at(-1)![1]).toBeGreaterThan(83);
    const fb = h.fbPctMax![0]!.points.map((p) => p[1]);
    expect(Math.max(...fb)).toBeLessThan(85);
    expect(Math.min(...fb)).toBeGreaterThan(70);
  });

  it("reads each metric's series once for a whole 7-day range, with the same points as each step alone", async () => {
    // A chart's 7-day range has hundreds of steps; choosing the matching series at every step
    // scanned the whole fleet each time, on the event loop (issue 12, item 9).
    const { clock, cluster, store, backend } = setup();
    clock.advance(12 * 60 * MIN);
    cluster.heatUp('node-7', { rampMs: 10 * MIN });
    // 12 h: what the store keeps per series.
    backfillInto(store, cluster, clock.now() - 12 * 60 * MIN, clock.now());
    const seriesOf = vi.spyOn(store, 'seriesOf');
    const h = await runGpuRange(backend, gpuNodeHistory, { node: 'node-7', range: '7d' });
    // Five queries; the framebuffer percentage reads used and free memory.
    expect(seriesOf).toHaveBeenCalledTimes(6);
    const spec = gpuNodeHistory.build(gpuNodeHistory.params.parse({ node: 'node-7', range: '7d' }));
    for (const [name, points] of Object.entries(h)) {
      const stepwise = await Promise.all(
        points![0]!.points.map(([t]) =>
          backend.instant(gpuQuerySpec.parse(spec[name as keyof typeof spec]), { at: t }),
        ),
      );
      expect(points![0]!.points.map(([, v]) => v)).toEqual(stepwise.map((r) => r[0]!.value));
    }
    expect(h.tempMax![0]!.points.length).toBeGreaterThan(10);
    // 12 h of scrapes of ~25 families per GPU: seconds of set-up on a shared, loaded machine.
  }, 60_000);

  it('computes InfiniBand rates and error increases from counters', async () => {
    const { clock, cluster, store, backend } = setup();
    backfillInto(store, cluster, clock.now() - 30 * MIN, clock.now());
    cluster.ibLinkDown('node-6', 'mlx5_2');
    cluster.ibErrors('node-6', 'mlx5_5');
    for (let i = 0; i < 20; i++) {
      clock.advance(30_000);
      scrapeInto(store, cluster, clock.now());
    }
    const ib = await runGpuInstant(backend, infinibandPorts, { node: 'node-6', range: '1h' });
    const by = (k: string, d: string) => ib[k]!.find((s) => s.labels.device === d)!.value;
    expect(ib.state).toHaveLength(8);
    expect(by('state', 'mlx5_2')).toBe(1);
    expect(by('state', 'mlx5_0')).toBe(4);
    expect(by('txBytesPerSec', 'mlx5_2')).toBe(0);
    expect(by('txBytesPerSec', 'mlx5_0')).toBeGreaterThan(1e9);
    expect(by('linkDowned', 'mlx5_2')).toBeGreaterThanOrEqual(1);
    expect(by('symbolErrors', 'mlx5_5')).toBeGreaterThan(by('symbolErrors', 'mlx5_0') + 1000);
  });
});

describe('LocalSampleStore', () => {
  it('keeps a bounded ring per series and caps the number of series', () => {
    const store = new LocalSampleStore({ capacityPerSeries: 4, maxSeries: 2 });
    const fam = (n: number) => [
      {
        name: 'm',
        series: Array.from({ length: n }, (_, i) => ({ labels: [['i', String(i)]] as const, value: i })),
      },
    ];
    for (let t = 1; t <= 10; t++) store.ingest(fam(3), t * 1000);
    expect(store.series).toBe(2);
    expect(store.dropped).toBe(10);
    const [first] = [...store.seriesOf('m')];
    expect(first!.samplesBetween(0, 100_000).map((p) => p[0])).toEqual([7000, 8000, 9000, 10_000]);
    expect(first!.samplesBetween(7000, 9000).map((p) => p[0])).toEqual([8000, 9000]);
    // Out-of-order samples are dropped.
    store.ingest(fam(1), 5000);
    expect(first!.samplesBetween(0, 100_000)).toHaveLength(4);
  });

  it('honours an aborted signal', async () => {
    const { backend } = setup();
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(
      backend.instant({ metric: 'DCGM_FI_DEV_GPU_UTIL', matchers: [] }, { signal: ctrl.signal }),
    ).rejects.toMatchObject({ code: 'QUERY_ABORTED' });
  });
});

describe('scrape loop', () => {
  it('scrapes the simulator into the store on each interval, and stops', () => {
    vi.useFakeTimers();
    try {
      const clock = new ManualClock();
      const cluster = createDcgmCluster(clock, { nodes: 1 });
      const store = new LocalSampleStore();
      const stop = startScrapeLoop(store, cluster, clock, 30_000);
      for (let i = 0; i < 3; i++) {
        clock.advance(30_000);
        vi.advanceTimersByTime(30_000);
      }
      const [util] = [...store.seriesOf('DCGM_FI_DEV_GPU_UTIL')];
      expect(util!.samplesBetween(0, clock.now()).map((p) => p[0])).toEqual([
        clock.now() - 60_000,
        clock.now() - 30_000,
        clock.now(),
      ]);
      stop();
      clock.advance(30_000);
      vi.advanceTimersByTime(30_000);
      expect(util!.samplesBetween(0, clock.now())).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('local evaluation of matchers', () => {
  it('anchors regex matchers like PromQL', async () => {
    const { clock, cluster, store, backend } = setup();
    scrapeInto(store, cluster, clock.now());
    const pick = async (op: '=~' | '!~', value: string) =>
      (
        await backend.instant({
          metric: 'DCGM_FI_DEV_GPU_UTIL',
          matchers: [{ label: 'gpu', op, value }],
          node: { value: 'node-0', source: 'dcgm' },
        })
      )
        .map((s) => s.labels.gpu)
        .sort();
    expect(await pick('=~', '[0-2]')).toEqual(['0', '1', '2']);
    expect(await pick('=~', '1')).toEqual(['1']);
    expect(await pick('!~', '[0-5]')).toEqual(['6', '7']);
  });
});
