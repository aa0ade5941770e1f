import { z } from 'zod';

/** Node pools of the simulated cluster; the pool decides the workload and so the thresholds. */
export const nodePool = z.enum(['inference', 'training']);
export type NodePool = z.infer<typeof nodePool>;

/**
 * Shape of the simulated GPU cluster. Defaults model 8 HGX H100 nodes: `node-0`…`node-3` serve
 * inference, `node-4`…`node-7` run one training job.
 */
export const dcgmClusterOptions = z.object({
  nodes: z.number().int().min(1).max(64).default(8),
  gpusPerNode: z.number().int().min(1).max(16).default(8),
  /** Nodes from this index on belong to the training pool. */
  firstTrainingNode: z.number().int().min(0).default(4),
  modelName: z.string().default('NVIDIA H100 80GB HBM3'),
  /** What an H100 80GB reports as total framebuffer. */
  fbTotalMiB: z.number().int().positive().default(81_559),
  fbReservedMiB: z.number().int().nonnegative().default(559),
  driverVersion: z.string().default('550.90.07'),
  /** Exporters up to 4.5.x emit `Hostname`; newer ones emit `hostname`. */
  hostnameLabel: z.enum(['Hostname', 'hostname']).default('Hostname'),
  /** Varies phases and UUIDs, so two simulated clusters do not look identical. */
  seed: z.number().int().default(7),
  /** InfiniBand HCAs per node (one per GPU on HGX systems). */
  hcasPerNode: z.number().int().min(0).max(16).default(8),
});
export type DcgmClusterOptions = z.infer<typeof dcgmClusterOptions>;
export type DcgmClusterOptionsInput = z.input<typeof dcgmClusterOptions>;

/** Clock-event reason bits as DCGM/NVML report them (formats.md §5). */
export const CLOCK_EVENT_BITS = {
  gpuIdle: 0x001,
  clocksSetting: 0x002,
  powerCap: 0x004,
  hwSlowdown: 0x008,
  syncBoost: 0x010,
  swThermal: 0x020,
  hwThermal: 0x040,
  hwPowerBrake: 0x080,
  displayClocks: 0x100,
} as const;

/** XID codes the simulator raises, with the exporter's `err_msg` text. */
export const XID_MESSAGES: Readonly<Record<number, string>> = {
  13: 'Graphics Engine Exception',
  31: 'GPU memory page fault',
  43: 'GPU stopped processing',
  45: 'Preemptive cleanup, due to previous errors',
  48: 'Double Bit ECC Error',
  63: 'ECC page retirement or row remapping recording event',
  64: 'ECC page retirement or row remapper recording failure',
  74: 'NVLINK Error',
  79: 'GPU has fallen off the bus',
  92: 'High single-bit ECC error rate',
  94: 'Contained ECC error',
  95: 'Uncontained ECC error',
  119: 'GSP RPC Timeout',
  120: 'GSP Error',
};

/** H100 SXM board power limit, watts. */
export const POWER_LIMIT_W = 700;
/** NDR InfiniBand: 400 Gb/s per port, as node-exporter reports it (bytes per second). */
export const IB_RATE_BYTES_PER_SECOND = 50_000_000_000;
