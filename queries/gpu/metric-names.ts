import { z } from 'zod';

/** DCGM exporter series the vetted GPU queries may read (formats.md §5). */
export const DCGM = {
  util: 'DCGM_FI_DEV_GPU_UTIL',
  fbUsed: 'DCGM_FI_DEV_FB_USED',
  fbFree: 'DCGM_FI_DEV_FB_FREE',
  temp: 'DCGM_FI_DEV_GPU_TEMP',
  power: 'DCGM_FI_DEV_POWER_USAGE',
  /** The value of the last XID, not a count: a second XID hides the first. */
  xid: 'DCGM_FI_DEV_XID_ERRORS',
  /** XIDs seen within the exporter's `--xid-count-window-size`, one series per XID (`xid` label); off by default. */
  xidCount: 'DCGM_EXP_XID_ERRORS_COUNT',
  /** Row remapping (Ampere and newer); off in the exporter's default counters file. */
  remapUncorrectable: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
  remapPending: 'DCGM_FI_DEV_ROW_REMAP_PENDING',
  remapFailure: 'DCGM_FI_DEV_ROW_REMAP_FAILURE',
  remapCorrectable: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
  /** Page retirement: GPUs before Ampere only (Ampere and newer remap rows instead and leave these blank). */
  retiredSbe: 'DCGM_FI_DEV_RETIRED_SBE',
  retiredDbe: 'DCGM_FI_DEV_RETIRED_DBE',
  retiredPending: 'DCGM_FI_DEV_RETIRED_PENDING',
  eccDbe: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
  /** NVLink error counters, summed over the GPU's links; off in the exporter's default counters file. */
  nvlinkCrcFlit: 'DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL',
  nvlinkCrcData: 'DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL',
  nvlinkReplay: 'DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL',
  nvlinkRecovery: 'DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL',
  /** Nanoseconds throttled by power (cap and brake) and by heat since boot; off by default. */
  powerViolation: 'DCGM_FI_DEV_POWER_VIOLATION',
  thermalViolation: 'DCGM_FI_DEV_THERMAL_VIOLATION',
  clockEvents: 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS',
  nvlinkTx: 'DCGM_FI_PROF_NVLINK_TX_BYTES',
  nvlinkRx: 'DCGM_FI_PROF_NVLINK_RX_BYTES',
} as const;

/** node-exporter InfiniBand series the vetted queries may read. */
export const INFINIBAND = {
  portState: 'node_infiniband_port_state_id',
  rate: 'node_infiniband_rate_bytes_per_second',
  txBytes: 'node_infiniband_port_data_transmitted_bytes_total',
  rxBytes: 'node_infiniband_port_data_received_bytes_total',
  linkDowned: 'node_infiniband_link_downed_total',
  symbolErrors: 'node_infiniband_symbol_error_total',
  linkErrorRecovery: 'node_infiniband_link_error_recovery_total',
} as const;

/**
 * Derived series: framebuffer used as a percentage of used + free, computed per GPU. A derived
 * name is not a Prometheus metric; the compiler expands it and the local backend computes it.
 */
export const DERIVED = { fbUsedPct: 'gpu:fb_used:percent' } as const;

/** Prometheus' own scrape health series: 0 when a target (an exporter) did not answer. */
export const SCRAPE = { up: 'up' } as const;

/**
 * Fields whose absence on a node is a blind spot: without them that kind of error cannot be seen
 * there (`/gpu coverage`, the shipped `GpuFieldNotExported` rule).
 */
export const COVERAGE_FIELDS = [
  DCGM.xid,
  DCGM.xidCount,
  DCGM.eccDbe,
  DCGM.remapPending,
  DCGM.remapFailure,
  DCGM.nvlinkRecovery,
  DCGM.powerViolation,
  DCGM.clockEvents,
] as const;

export const metricName = z.enum([
  ...Object.values(DCGM),
  ...Object.values(INFINIBAND),
  DERIVED.fbUsedPct,
  SCRAPE.up,
]);
export type MetricName = z.infer<typeof metricName>;

/** The DCGM host label's two spellings: exporters ≤ 4.5.x emit `Hostname`, newer ones `hostname`. */
export const HOST_LABELS = ['Hostname', 'hostname'] as const;
/** The spelling results are normalised to. */
export const HOST_LABEL = 'Hostname';
/** Label naming the node on node-exporter series (added by the scrape's relabelling). */
export const IB_NODE_LABEL = 'node';

/** Reads the node of a DCGM or node-exporter series whatever the host label's spelling. */
export function nodeOf(labels: Readonly<Record<string, string>>): string | undefined {
  return labels.Hostname ?? labels.hostname ?? labels[IB_NODE_LABEL];
}
