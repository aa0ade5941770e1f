import { type DcgmClusterOptions, XID_MESSAGES } from './options.ts';
import { type GpuSample, type IbPortSample, type NodeSample, XID_COUNT_WINDOW_MS } from './sample.ts';

/** Label pairs in exposition order (the exporter's order matters to people diffing output). */
export type LabelPairs = ReadonlyArray<readonly [string, string]>;

export interface MetricSeries {
  labels: LabelPairs;
  value: number;
}

/** One metric family of the text format: HELP, TYPE and its series. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  series: MetricSeries[];
}

/**
 * Label that the scrape configuration adds to node-exporter series to name the node (kube-
 * prometheus relabels `__meta_kubernetes_pod_node_name`). The simulator serves all nodes from one
 * endpoint, so it writes the label itself.
 */
export const IB_NODE_LABEL = 'node';

interface GpuField {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  value: (s: GpuSample) => number;
}

const GPU_FIELDS: GpuField[] = [
  { name: 'DCGM_FI_DEV_GPU_UTIL', help: 'GPU utilization (in %).', type: 'gauge', value: (s) => s.utilPct },
  {
    name: 'DCGM_FI_DEV_FB_FREE',
    help: 'Framebuffer memory free (in MiB).',
    type: 'gauge',
    value: (s) => s.fbFreeMiB,
  },
  {
    name: 'DCGM_FI_DEV_FB_USED',
    help: 'Framebuffer memory used (in MiB).',
    type: 'gauge',
    value: (s) => s.fbUsedMiB,
  },
  { name: 'DCGM_FI_DEV_GPU_TEMP', help: 'GPU temperature (in C).', type: 'gauge', value: (s) => s.tempC },
  { name: 'DCGM_FI_DEV_POWER_USAGE', help: 'Power draw (in W).', type: 'gauge', value: (s) => s.powerW },
  {
    name: 'DCGM_FI_DEV_XID_ERRORS',
    help: 'Value of the last XID error encountered.',
    type: 'gauge',
    value: (s) => s.xid,
  },
  {
    name: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
    help: 'Total number of double-bit volatile ECC errors.',
    type: 'counter',
    value: (s) => s.eccDbeVolatile,
  },
  {
    name: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
    help: 'Number of remapped rows for uncorrectable errors',
    type: 'counter',
    value: (s) => s.remapUncorrectableRows,
  },
  {
    name: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
    help: 'Number of remapped rows for correctable errors',
    type: 'counter',
    value: (s) => s.remapCorrectableRows,
  },
  {
    name: 'DCGM_FI_DEV_ROW_REMAP_FAILURE',
    help: 'Whether remapping of rows has failed',
    type: 'gauge',
    value: (s) => s.remapFailure,
  },
  {
    name: 'DCGM_FI_DEV_ROW_REMAP_PENDING',
    help: 'Whether remapping of rows is pending',
    type: 'gauge',
    value: (s) => s.remapPending,
  },
  {
    name: 'DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL',
    help: 'Total number of NVLink flow-control CRC errors.',
    type: 'counter',
    value: (s) => s.nvlinkCrcFlitErrors,
  },
  {
    name: 'DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL',
    help: 'Total number of NVLink data CRC errors.',
    type: 'counter',
    value: (s) => s.nvlinkCrcDataErrors,
  },
  {
    name: 'DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL',
    help: 'Total number of NVLink retries.',
    type: 'counter',
    value: (s) => s.nvlinkReplayErrors,
  },
  {
    name: 'DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL',
    help: 'Total number of NVLink recovery errors.',
    type: 'counter',
    value: (s) => s.nvlinkRecoveryErrors,
  },
  {
    name: 'DCGM_FI_DEV_POWER_VIOLATION',
    help: 'Throttling duration due to power constraints (in ns).',
    type: 'counter',
    value: (s) => s.powerViolationNs,
  },
  {
    name: 'DCGM_FI_DEV_THERMAL_VIOLATION',
    help: 'Throttling duration due to thermal constraints (in ns).',
    type: 'counter',
    value: (s) => s.thermalViolationNs,
  },
  {
    name: 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS',
    help: 'Current clock event reasons (bitmask).',
    type: 'gauge',
    value: (s) => s.clockEventReasons,
  },
  {
    name: 'DCGM_FI_PROF_NVLINK_TX_BYTES',
    help: 'The rate of data transmitted over NVLink, not including protocol headers, in bytes per second.',
    type: 'gauge',
    value: (s) => s.nvlinkTxBytesPerSec,
  },
  {
    name: 'DCGM_FI_PROF_NVLINK_RX_BYTES',
    help: 'The rate of data received over NVLink, not including protocol headers, in bytes per second.',
    type: 'gauge',
    value: (s) => s.nvlinkRxBytesPerSec,
  },
];

interface IbField {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  value: (p: IbPortSample) => number;
}

const IB_FIELDS: IbField[] = [
  {
    name: 'node_infiniband_port_state_id',
    help: 'State of the InfiniBand port (0: no change, 1: down, 2: init, 3: armed, 4: active, 5: act defer)',
    type: 'gauge',
    value: (p) => p.stateId,
  },
  {
    name: 'node_infiniband_physical_state_id',
    help: 'Physical state of the InfiniBand port (0: no change, 1: sleep, 2: polling, 3: disable, 4: shift, 5: link up, 6: link error recover, 7: phytest)',
    type: 'gauge',
    value: (p) => p.physicalStateId,
  },
  {
    name: 'node_infiniband_rate_bytes_per_second',
    help: 'Maximum signal transfer rate',
    type: 'gauge',
    value: (p) => p.rateBytesPerSecond,
  },
  {
    name: 'node_infiniband_port_data_transmitted_bytes_total',
    help: 'Number of data octets transmitted on all links',
    type: 'counter',
    value: (p) => p.txBytesTotal,
  },
  {
    name: 'node_infiniband_port_data_received_bytes_total',
    help: 'Number of data octets received on all links',
    type: 'counter',
    value: (p) => p.rxBytesTotal,
  },
  {
    name: 'node_infiniband_link_downed_total',
    help: 'Number of times the link failed to recover from an error state and went down',
    type: 'counter',
    value: (p) => p.linkDownedTotal,
  },
  {
    name: 'node_infiniband_symbol_error_total',
    help: 'Number of minor link errors detected on one or more physical lanes.',
    type: 'counter',
    value: (p) => p.symbolErrorTotal,
  },
  {
    name: 'node_infiniband_link_error_recovery_total',
    help: 'Number of times the link successfully recovered from an error state',
    type: 'counter',
    value: (p) => p.linkErrorRecoveryTotal,
  },
];

function gpuLabels(
  opts: DcgmClusterOptions,
  node: string,
  s: GpuSample,
  extra: ReadonlyArray<[string, string]> = [],
): LabelPairs {
  const pod = s.gpu.pod;
  const attrs: Array<[string, string]> = [
    ['container', pod?.container ?? ''],
    ['namespace', pod?.namespace ?? ''],
    ['pod', pod?.pod ?? ''],
    ...extra,
  ];
  // The exporter renders attributes from a Go map in sorted key order.
  attrs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return [
    ['gpu', String(s.gpu.index)],
    ['UUID', s.gpu.uuid],
    ['pci_bus_id', s.gpu.pciBusId],
    ['device', `nvidia${s.gpu.index}`],
    ['modelName', opts.modelName],
    [opts.hostnameLabel, node],
    ['DCGM_FI_DRIVER_VERSION', opts.driverVersion],
    ['DCGM_FI_DEV_SERIAL', s.gpu.serial],
    ...attrs,
  ];
}

interface CachedLabels {
  pod: GpuSample['gpu']['pod'];
  xid: number;
  labels: LabelPairs;
  xidLabels: LabelPairs;
}
/**
 * A GPU's label sets, reused while its pod and last XID stay the same: every scrape would build
 * the same arrays again, and the local store recognises a series by its labels array.
 */
const labelCache = new WeakMap<GpuSample['gpu'], CachedLabels>();

function labelsOf(opts: DcgmClusterOptions, node: string, gpu: GpuSample): CachedLabels {
  const cached = labelCache.get(gpu.gpu);
  if (cached && cached.pod === gpu.gpu.pod && cached.xid === gpu.xid) return cached;
  const fresh: CachedLabels = {
    pod: gpu.gpu.pod,
    xid: gpu.xid,
    labels: gpuLabels(opts, node, gpu),
    xidLabels: gpuLabels(opts, node, gpu, [
      ['err_code', String(gpu.xid)],
      ['err_msg', XID_MESSAGES[gpu.xid] ?? ''],
    ]),
  };
  labelCache.set(gpu.gpu, fresh);
  return fresh;
}

/** GPUs the exporter can see: one that fell off the bus is gone from every family, not zero. */
function visible(nodes: readonly NodeSample[]): Array<{ node: string; gpu: GpuSample }> {
  return nodes
    .filter((n) => n.exporterUp)
    .flatMap((n) => n.gpus.filter((g) => !g.offBus).map((gpu) => ({ node: n.node.name, gpu })));
}

/**
 * The exporter's XID counter (enabled in deploy/dcgm-exporter/counters.csv): one series per XID
 * seen within the window, with an `xid` label; a GPU without any reports one series of 0.
 */
function xidCountFamily(opts: DcgmClusterOptions, nodes: readonly NodeSample[]): MetricFamily {
  const window: [string, string] = ['window_size_in_ms', String(XID_COUNT_WINDOW_MS)];
  return {
    name: 'DCGM_EXP_XID_ERRORS_COUNT',
    help: 'Count of XID Errors within user-specified time window (see xid-count-window-size param).',
    type: 'gauge',
    series: visible(nodes).flatMap(({ node, gpu }) =>
      gpu.xidCounts.size === 0
        ? [{ labels: gpuLabels(opts, node, gpu, [window]), value: 0 }]
        : [...gpu.xidCounts].map(([xid, count]) => ({
            labels: gpuLabels(opts, node, gpu, [window, ['xid', String(xid)]]),
            value: count,
          })),
    ),
  };
}

/** DCGM exporter families for the sampled nodes. */
export function collectDcgmFamilies(opts: DcgmClusterOptions, nodes: readonly NodeSample[]): MetricFamily[] {
  // Labels are built once per GPU and shared by its series: a scrape has 20-odd families per GPU.
  const gpus = visible(nodes).map(({ node, gpu }) => ({ gpu, ...labelsOf(opts, node, gpu) }));
  return [
    ...GPU_FIELDS.map((f) => ({
      name: f.name,
      help: f.help,
      type: f.type,
      series: gpus.map((g) => ({
        labels: f.name === 'DCGM_FI_DEV_XID_ERRORS' ? g.xidLabels : g.labels,
        value: f.value(g.gpu),
      })),
    })),
    xidCountFamily(opts, nodes),
  ];
}

/** The scrape job Prometheus would run against each node's exporter (`up` of `/gpu coverage`). */
export const DCGM_SCRAPE_JOB = 'dcgm-exporter';

/**
 * What Prometheus itself records for each node's exporter scrape: `up` 1 or 0. The local store
 * ingests it next to the exporter's families, as Prometheus would store it.
 */
export function collectScrapeHealth(nodes: readonly NodeSample[]): MetricFamily {
  return {
    name: 'up',
    help: 'Whether the scrape of the target succeeded.',
    type: 'gauge',
    series: nodes.map((n) => ({
      labels: [
        ['instance', `${n.node.name}:9400`],
        ['job', DCGM_SCRAPE_JOB],
        [IB_NODE_LABEL, n.node.name],
      ] as const,
      value: n.exporterUp ? 1 : 0,
    })),
  };
}

/** node-exporter InfiniBand families for the sampled nodes. */
export function collectInfinibandFamilies(nodes: readonly NodeSample[]): MetricFamily[] {
  return IB_FIELDS.map((f) => ({
    name: f.name,
    help: f.help,
    type: f.type,
    series: nodes.flatMap((n) =>
      n.ib.map((p) => ({
        labels: [
          ['device', p.device],
          ['port', p.port],
          [IB_NODE_LABEL, n.node.name],
        ] as const,
        value: f.value(p),
      })),
    ),
  }));
}
