import { hexFrom } from './noise.ts';
import type { DcgmClusterOptions, NodePool } from './options.ts';
import { type PodRef, placement, podsByGpu } from './placement.ts';

export interface GpuInfo {
  index: number;
  uuid: string;
  pciBusId: string;
  /** The board's serial number (the exporter's `DCGM_FI_DEV_SERIAL` label): what a replacement ticket names. */
  serial: string;
  /** Fixed per-GPU thermal spread: some boards in a chassis always run warmer than others. */
  thermalOffsetC: number;
  pod?: PodRef;
}

export interface NodeInfo {
  name: string;
  pool: NodePool;
  gpus: GpuInfo[];
  /** InfiniBand HCA names (`mlx5_0`…), one port each. */
  hcas: string[];
}

/** PCI buses of the eight SXM slots of an HGX H100 baseboard. */
const HGX_BUSES = ['18', '2A', '3A', '5D', '9A', 'AB', 'BA', 'DB'];
const THERMAL_OFFSETS = [0, 1.5, 3, 5, 6.5, 7.5, 8, 9];

function uuidFor(key: string): string {
  const h = hexFrom(key, 32);
  return `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Builds the static shape of the cluster: nodes, pools, GPUs, pods and HCAs. */
export function buildTopology(opts: DcgmClusterOptions): NodeInfo[] {
  const nodes: NodeInfo[] = [];
  const pods = podsByGpu(placement(opts));
  for (let n = 0; n < opts.nodes; n++) {
    const name = `node-${n}`;
    const gpus: GpuInfo[] = [];
    for (let g = 0; g < opts.gpusPerNode; g++) {
      const bus = HGX_BUSES[g % HGX_BUSES.length] ?? '18';
      const domain = Math.floor(g / HGX_BUSES.length);
      gpus.push({
        index: g,
        uuid: uuidFor(`${opts.seed}/${name}/${g}`),
        pciBusId: `0000000${domain}:${bus}:00.0`,
        serial: `1654${String(Number.parseInt(hexFrom(`${opts.seed}/${name}/${g}/serial`, 8), 16) % 1e9).padStart(9, '0')}`,
        thermalOffsetC: THERMAL_OFFSETS[g % THERMAL_OFFSETS.length] ?? 0,
        pod: pods.get(`${name}/${g}`),
      });
    }
    const hcas = Array.from({ length: opts.hcasPerNode }, (_, i) => `mlx5_${i}`);
    nodes.push({ name, pool: n >= opts.firstTrainingNode ? 'training' : 'inference', gpus, hcas });
  }
  return nodes;
}
