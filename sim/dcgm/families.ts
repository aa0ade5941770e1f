import { type DcgmClusterOptions, XID_MESSAGES } from './options.ts';
import type { GpuSample, IbPortSample, NodeSample } from './sample.ts';

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

function gpuLabels(opts: DcgmClusterOptions, node: string, s: GpuSample, field: string): LabelPairs {
  const pod = s.gpu.pod;
  const attrs: Array<[string, string]> = [
    ['container', pod?.container ?? ''],
    ['namespace', pod?.namespace ?? ''],
    ['pod', pod?.pod ?? ''],
  ];
  if (field === 'DCGM_FI_DEV_XID_ERRORS') {
    attrs.push(['err_code', String(s.xid)], ['err_msg', XID_MESSAGES[s.xid] ?? '']);
  }
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
    ...attrs,
  ];
}

/** DCGM exporter families for the sampled nodes. */
export function collectDcgmFamilies(opts: DcgmClusterOptions, nodes: readonly NodeSample[]): MetricFamily[] {
  return GPU_FIELDS.map((f) => ({
    name: f.name,
    help: f.help,
    type: f.type,
    series: nodes.flatMap((n) =>
      n.gpus.map((s) => ({ labels: gpuLabels(opts, n.node.name, s, f.name), value: f.value(s) })),
    ),
  }));
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
