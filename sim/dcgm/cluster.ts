import type { Clock } from '../../core/clock.ts';
import { UserFacingError } from '../../core/errors.ts';
import { type EpisodeKind, EpisodeLog } from './episodes.ts';
import { type DcgmClusterOptions, type DcgmClusterOptionsInput, dcgmClusterOptions } from './options.ts';
import { type NodeSample, type SampleContext, sampleGpu, sampleIbPort } from './sample.ts';
import { buildTopology, type NodeInfo } from './topology.ts';

export interface RampOptions {
  /** GPU indexes; all GPUs of the node when left out. */
  gpus?: readonly number[];
  /** Time to full effect. */
  rampMs?: number;
  /** Temperature reached by GPUs named in `gpus` (heat only; default 88 °C). */
  peakC?: number;
}

/**
 * A simulated GPU cluster whose state is a pure function of the injected clock and of the
 * scenario hooks called so far. The alert simulator calls the hooks; the exporter handler and
 * the local sample store read {@link DcgmCluster.sample}.
 */
export interface DcgmCluster {
  readonly options: DcgmClusterOptions;
  readonly nodes: readonly NodeInfo[];
  /**
   * Temperature climbs past 83 °C over `rampMs` (default 8 min); clock events show thermal
   * slowdown. The whole node: most GPUs pass 83 °C, the coolest boards stay just under it. Named
   * `gpus`: each reaches `peakC`.
   */
  heatUp(node: string, opts?: RampOptions): void;
  /**
   * One uncorrectable (double-bit) ECC error on a GPU, raising XID 48; the row remapper records a
   * spare row for it (remap pending until the GPU is reset, i.e. until `recover`).
   */
  eccError(node: string, gpu: number): void;
  /**
   * The driver reports `xid` on a GPU until `recover`: 64 marks the row remap failed, 79 takes the
   * GPU off the bus (the exporter stops reporting it at all).
   */
  xidError(node: string, gpu: number, xid: number): void;
  /** NVLink CRC and replay errors rise on GPUs of a node, with a link recovery every two minutes. */
  nvlinkErrors(node: string, opts?: { gpus?: readonly number[] }): void;
  /** The boards' power brake is asserted (e.g. a power supply failed): clocks and power drop. */
  powerBrake(node: string, opts?: { gpus?: readonly number[] }): void;
  /** GPUs stay allocated to their pod but go idle (a stalled training job). */
  idleGpus(node: string, opts?: RampOptions): void;
  /** Framebuffer use climbs above 95 %. */
  memoryPressure(node: string, opts?: RampOptions): void;
  /** An InfiniBand port goes down (state 1, link_downed_total +1); the training job stalls. */
  ibLinkDown(node: string, device?: string): void;
  /** Symbol and link-recovery errors rise on a port. */
  ibErrors(node: string, device?: string): void;
  /** The node's DCGM exporter goes down (until `recover`): no GPU series, its scrape fails. */
  exporterDown(node: string): void;
  /** Ends scenarios: all of them, those of one node, or one kind on one node. Returns how many. */
  recover(node?: string, kind?: EpisodeKind): number;
  /** Samples every node at `t` (default: now). */
  sample(t?: number): NodeSample[];
}

// Two days keeps the byte counters below 2^53, so they stay exact integers.
const DEFAULT_BOOT_AGE_MS = 2 * 86_400_000;

/** Creates the simulated cluster; `options` are validated (defaults: 8 nodes × 8 H100). */
export function createDcgmCluster(clock: Clock, options: DcgmClusterOptionsInput = {}): DcgmCluster {
  const opts = dcgmClusterOptions.parse(options);
  const nodes = buildTopology(opts);
  const episodes = new EpisodeLog();
  const bootAt = clock.now() - DEFAULT_BOOT_AGE_MS;

  const nodeNamed = (name: string): NodeInfo => {
    const node = nodes.find((n) => n.name === name);
    if (!node) throw new UserFacingError('UNKNOWN_NODE', `No simulated GPU node named "${name}".`);
    return node;
  };
  const checkGpus = (node: NodeInfo, gpus: readonly number[] | undefined) => {
    for (const g of gpus ?? []) {
      if (!node.gpus.some((x) => x.index === g)) {
        throw new UserFacingError('UNKNOWN_GPU', `${node.name} has no GPU ${g}.`);
      }
    }
  };
  const ramp = (kind: EpisodeKind, name: string, o: RampOptions, defaultRamp: number) => {
    const node = nodeNamed(name);
    checkGpus(node, o.gpus);
    episodes.open({
      kind,
      node: name,
      gpus: o.gpus,
      start: clock.now(),
      rampMs: o.rampMs ?? defaultRamp,
      peak: o.peakC,
    });
  };
  const port = (kind: EpisodeKind, name: string, device: string) => {
    const node = nodeNamed(name);
    if (!node.hcas.includes(device))
      throw new UserFacingError('UNKNOWN_HCA', `${name} has no HCA ${device}.`);
    episodes.open({ kind, node: name, device, start: clock.now(), rampMs: 0 });
  };

  const jobStallAt = (t: number): number => {
    let stall = 0;
    for (const n of nodes) {
      if (n.pool !== 'training') continue;
      if (episodes.activeAt(n.name, 'ib-link-down', t).length > 0) stall = 1;
      else if (episodes.activeAt(n.name, 'ib-errors', t).length > 0) stall = Math.max(stall, 0.3);
    }
    return stall;
  };

  return {
    options: opts,
    nodes,
    heatUp: (node, o = {}) => ramp('heat', node, o, 8 * 60_000),
    eccError(node, gpu) {
      checkGpus(nodeNamed(node), [gpu]);
      episodes.open({ kind: 'ecc', node, gpus: [gpu], start: clock.now(), rampMs: 0 });
    },
    xidError(node, gpu, xid) {
      checkGpus(nodeNamed(node), [gpu]);
      if (!Number.isInteger(xid) || xid < 1 || xid > 999)
        throw new UserFacingError('INVALID_XID', `XID must be a whole number from 1 to 999, not ${xid}.`);
      episodes.open({ kind: 'xid', node, gpus: [gpu], code: xid, start: clock.now(), rampMs: 0 });
    },
    nvlinkErrors: (node, o = {}) => ramp('nvlink-errors', node, o, 0),
    powerBrake: (node, o = {}) => ramp('power-brake', node, o, 0),
    exporterDown(node) {
      nodeNamed(node);
      episodes.open({ kind: 'exporter-down', node, start: clock.now(), rampMs: 0 });
    },
    idleGpus: (node, o = {}) => ramp('idle', node, o, 60_000),
    memoryPressure: (node, o = {}) => ramp('memory-pressure', node, o, 2 * 60_000),
    ibLinkDown: (node, device = 'mlx5_0') => port('ib-link-down', node, device),
    ibErrors: (node, device = 'mlx5_0') => port('ib-errors', node, device),
    recover(node, kind) {
      if (node !== undefined) nodeNamed(node);
      return episodes.close({ node, kind }, clock.now());
    },
    sample(t = clock.now()) {
      const ctx: SampleContext = { opts, episodes, bootAt, jobStall: jobStallAt(t) };
      return nodes.map((node) => ({
        node,
        exporterUp: episodes.activeAt(node.name, 'exporter-down', t).length === 0,
        gpus: node.gpus.map((g) => sampleGpu(ctx, node, g, t)),
        ib: node.hcas.map((d) => sampleIbPort(ctx, node, d, t)),
      }));
    },
  };
}
