import { nodeOf } from './metric-names.ts';
import type { GpuReading } from './thresholds.ts';

/** A sample as any metrics backend returns it (structural, to keep this file backend-free). */
interface LabelledValue {
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** One GPU row of `/gpu node-7`: the classification inputs plus what the card shows. */
export interface GpuRow extends GpuReading {
  powerW?: number;
  nvlinkTxBytesPerSec?: number;
  modelName?: string;
}

const FIELDS = {
  util: 'utilPct',
  utilSustained: 'utilSustainedPct',
  fbUsed: 'fbUsedMiB',
  fbFree: 'fbFreeMiB',
  temp: 'tempC',
  power: 'powerW',
  eccDbe: 'eccDbe',
  xid: 'xid',
  clockEvents: 'clockEvents',
  nvlinkTx: 'nvlinkTxBytesPerSec',
  remapPending: 'remapPending',
  remapFailure: 'remapFailure',
  remapUncorrectable: 'remapUncorrectableRows',
  retiredPending: 'retiredPending',
} as const satisfies Record<string, keyof GpuRow>;

type NumericField = { [K in keyof GpuRow]-?: GpuRow[K] extends number | undefined ? K : never }[keyof GpuRow];

/** Parts that add into one field, scaled: CRC errors of both kinds, violation ns/s as percent. */
const SUMMED: Record<string, { field: NumericField; scale: number }> = {
  retiredSbe: { field: 'retiredPages', scale: 1 },
  retiredDbe: { field: 'retiredPages', scale: 1 },
  nvlinkCrcFlit: { field: 'nvlinkCrcErrors', scale: 1 },
  nvlinkCrcData: { field: 'nvlinkCrcErrors', scale: 1 },
  nvlinkReplay: { field: 'nvlinkReplayErrors', scale: 1 },
  nvlinkRecovery: { field: 'nvlinkRecoveryErrors', scale: 1 },
  powerViolation: { field: 'powerThrottledPct', scale: 1e-7 },
  thermalViolation: { field: 'thermalThrottledPct', scale: 1e-7 },
};

/**
 * Joins the parts of `gpu-node-state` into one row per GPU, ordered by index. A part missing
 * for a GPU leaves that field undefined (shown as "–"), never a made-up zero.
 */
export function assembleGpuRows(parts: Readonly<Record<string, readonly LabelledValue[]>>): GpuRow[] {
  const rows = new Map<string, GpuRow>();
  const each = (part: string, write: (row: GpuRow, value: number) => void) => {
    for (const s of parts[part] ?? []) {
      const gpu = s.labels.gpu;
      const node = nodeOf(s.labels);
      if (gpu === undefined || node === undefined) continue;
      const key = `${node}/${gpu}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          node,
          gpu: Number(gpu),
          namespace: s.labels.namespace || undefined,
          pod: s.labels.pod || undefined,
          modelName: s.labels.modelName,
        };
        rows.set(key, row);
      }
      write(row, s.value);
    }
  };
  for (const [part, field] of Object.entries(FIELDS))
    if (part !== 'utilSustained') each(part, (row, v) => (row[field] = v));
  // Only GPUs reporting now get a row: a window over the past (sustained utilisation, counter
  // increases) still holds a GPU that fell off the bus, which must show as missing, not healthy.
  const known = new Set(rows.keys());
  each('utilSustained', (row, v) => (row.utilSustainedPct = v));
  for (const [part, { field, scale }] of Object.entries(SUMMED)) {
    each(part, (row, v) => (row[field] = (row[field] ?? 0) + v * scale));
  }
  for (const key of [...rows.keys()]) if (!known.has(key)) rows.delete(key);
  return [...rows.values()].sort((a, b) => a.node.localeCompare(b.node) || a.gpu - b.gpu);
}

/** One InfiniBand port of a node, from `infiniband-ports`. */
export interface IbPortRow {
  device: string;
  port: string;
  state?: number;
  rateBytesPerSec?: number;
  txBytesPerSec?: number;
  rxBytesPerSec?: number;
  linkDowned?: number;
  symbolErrors?: number;
  linkErrorRecovery?: number;
}

const IB_FIELDS = {
  state: 'state',
  rate: 'rateBytesPerSec',
  txBytesPerSec: 'txBytesPerSec',
  rxBytesPerSec: 'rxBytesPerSec',
  linkDowned: 'linkDowned',
  symbolErrors: 'symbolErrors',
  linkErrorRecovery: 'linkErrorRecovery',
} as const satisfies Record<string, keyof IbPortRow>;

/** Joins the parts of `infiniband-ports` into one row per HCA port. */
export function assembleIbRows(parts: Readonly<Record<string, readonly LabelledValue[]>>): IbPortRow[] {
  const rows = new Map<string, IbPortRow>();
  for (const [part, field] of Object.entries(IB_FIELDS)) {
    for (const s of parts[part] ?? []) {
      const device = s.labels.device;
      if (!device) continue;
      const port = s.labels.port ?? '1';
      const key = `${nodeOf(s.labels) ?? ''}/${device}/${port}`;
      const row = rows.get(key) ?? { device, port };
      row[field] = s.value;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.device.localeCompare(b.device, 'en', { numeric: true }));
}
