import { z } from 'zod';
import { defineGpuQuery, type VettedGpuQuery } from './define-gpu-query.ts';
import { COVERAGE_FIELDS, DCGM, DERIVED, HOST_LABEL, INFINIBAND, SCRAPE } from './metric-names.ts';
import { gpuIndex, nodeName, queryRange, stepFor } from './params.ts';
import type { GpuQuerySpecInput, LabelMatcher } from './query-spec.ts';

const sustainWindow = z
  .string()
  .default('30m')
  .pipe(queryRange)
  .refine((ms) => ms <= 6 * 3_600_000, 'sustain window must be at most 6h');

function gpuMatchers(gpu: number | undefined): LabelMatcher[] {
  return gpu === undefined ? [] : [{ label: 'gpu', op: '=', value: String(gpu) }];
}

function onNode(node: string, gpu?: number) {
  return { node: { value: node, source: 'dcgm' as const }, matchers: gpuMatchers(gpu) };
}

/** Per-GPU current state of one node: the rows of `/gpu node-7`. */
export const gpuNodeState = defineGpuQuery({
  id: 'gpu-node-state',
  title: 'GPU state of a node',
  description:
    'Utilisation, memory, temperature, power, ECC, XID, row remapping, link errors, throttle time and clock events of each GPU on a node, now.',
  examples: ['how are the GPUs on node-7?', '/gpu node-7', 'is gpu 3 on node-3 ok?'],
  kind: 'instant',
  params: z.object({
    node: nodeName,
    gpu: gpuIndex.optional(),
    sustain: sustainWindow,
    /** Error counters (NVLink, throttle time) are read as their increase over this window. */
    errorWindow: z.string().default('1h').pipe(queryRange),
  }),
  build: ({ node, gpu, sustain, errorWindow }) => {
    const at = onNode(node, gpu);
    const increase = { fn: 'increase' as const, windowMs: errorWindow };
    const rate = { fn: 'rate' as const, windowMs: errorWindow };
    return {
      util: { metric: DCGM.util, ...at },
      utilSustained: { metric: DCGM.util, ...at, over: { fn: 'avg_over_time', windowMs: sustain } },
      fbUsed: { metric: DCGM.fbUsed, ...at },
      fbFree: { metric: DCGM.fbFree, ...at },
      temp: { metric: DCGM.temp, ...at },
      power: { metric: DCGM.power, ...at },
      eccDbe: { metric: DCGM.eccDbe, ...at },
      xid: { metric: DCGM.xid, ...at },
      clockEvents: { metric: DCGM.clockEvents, ...at },
      nvlinkTx: { metric: DCGM.nvlinkTx, ...at },
      remapPending: { metric: DCGM.remapPending, ...at },
      remapFailure: { metric: DCGM.remapFailure, ...at },
      remapUncorrectable: { metric: DCGM.remapUncorrectable, ...at },
      retiredSbe: { metric: DCGM.retiredSbe, ...at },
      retiredDbe: { metric: DCGM.retiredDbe, ...at },
      retiredPending: { metric: DCGM.retiredPending, ...at },
      nvlinkCrcFlit: { metric: DCGM.nvlinkCrcFlit, ...at, over: increase },
      nvlinkCrcData: { metric: DCGM.nvlinkCrcData, ...at, over: increase },
      nvlinkReplay: { metric: DCGM.nvlinkReplay, ...at, over: increase },
      nvlinkRecovery: { metric: DCGM.nvlinkRecovery, ...at, over: increase },
      // Nanoseconds throttled per second: divided by 1e7 it is the share of time in percent.
      powerViolation: { metric: DCGM.powerViolation, ...at, over: rate },
      thermalViolation: { metric: DCGM.thermalViolation, ...at, over: rate },
    };
  },
});

/** One node (or GPU) over a range: what the node chart draws. */
export const gpuNodeHistory = defineGpuQuery({
  id: 'gpu-node-history',
  title: 'GPU utilisation, temperature and memory of a node over time',
  description: 'Mean and lowest utilisation, hottest and mean temperature, fullest framebuffer, per step.',
  examples: ['node-7 temperature over the last hour', '/gpu node-7 range=6h', 'gpu 3 on node-7 since 6h'],
  kind: 'range',
  params: z.object({
    node: nodeName,
    gpu: gpuIndex.optional(),
    range: z.string().default('1h').pipe(queryRange),
  }),
  build: ({ node, gpu, range }) => {
    const base = { ...onNode(node, gpu), range: { rangeMs: range, stepMs: stepFor(range) } };
    const fold = (op: 'avg' | 'max' | 'min') => ({ op, by: [] });
    return {
      utilAvg: { metric: DCGM.util, ...base, aggregate: fold('avg') },
      utilMin: { metric: DCGM.util, ...base, aggregate: fold('min') },
      tempMax: { metric: DCGM.temp, ...base, aggregate: fold('max') },
      tempAvg: { metric: DCGM.temp, ...base, aggregate: fold('avg') },
      fbPctMax: { metric: DERIVED.fbUsedPct, ...base, aggregate: fold('max') },
    };
  },
});

/**
 * Steps of the error history: fine enough to see each XID change (the exporter is scraped every
 * 15-30 s), at most 2,000 points per series (Prometheus refuses more than 11,000).
 */
export function errorHistoryStep(rangeMs: number): number {
  return Math.max(15_000, Math.ceil(rangeMs / 2_000 / 15_000) * 15_000);
}

/**
 * One node's (or GPU's) error series over a range, per GPU: every value the XID gauge took (it
 * holds only the last XID, so its changes are the history), the exporter's per-XID counts where
 * enabled, uncorrectable ECC errors and row remapping. Read by `/gpu <node>` (incident cards still
 * read XIDs from their alerts' labels). Not offered to the question router: GPU questions are
 * answered with the `/gpu` card, which shows it.
 */
export const gpuErrorHistory = defineGpuQuery({
  id: 'gpu-error-history',
  title: 'GPU error history of a node',
  description: 'XID changes, XID counts, uncorrectable ECC errors and row remapping per GPU over time.',
  examples: ['xid history of node-3', 'ecc errors on node-3 today', 'row remapping on node-3'],
  kind: 'range',
  params: z.object({
    node: nodeName,
    gpu: gpuIndex.optional(),
    range: z.string().default('1h').pipe(queryRange),
  }),
  build: ({ node, gpu, range }) => {
    const base = { ...onNode(node, gpu), range: { rangeMs: range, stepMs: errorHistoryStep(range) } };
    return {
      xid: { metric: DCGM.xid, ...base },
      xidCount: { metric: DCGM.xidCount, ...base },
      eccDbe: { metric: DCGM.eccDbe, ...base },
      remapUncorrectable: { metric: DCGM.remapUncorrectable, ...base },
      remapPending: { metric: DCGM.remapPending, ...base },
      remapFailure: { metric: DCGM.remapFailure, ...base },
    };
  },
});

/** `/gpu` alone: where to look first across the fleet. */
export const gpuFleetSummary = defineGpuQuery({
  id: 'gpu-fleet-summary',
  title: 'GPU fleet summary',
  description:
    'Hottest and idlest GPUs, GPUs with ECC or XID errors, GPUs under memory pressure, per-node means.',
  examples: ['/gpu', 'which GPUs are hot?', 'any GPU errors?', 'idle GPUs'],
  kind: 'instant',
  params: z.object({
    limit: z.coerce.number().int().min(1).max(20).default(5),
    fbPressurePct: z.coerce.number().min(50).max(100).default(95),
    sustain: sustainWindow,
  }),
  build: ({ limit, fbPressurePct, sustain }): Record<string, GpuQuerySpecInput> => ({
    hottest: { metric: DCGM.temp, select: { op: 'topk', k: limit } },
    idlest: {
      metric: DCGM.util,
      matchers: [{ label: 'pod', op: '!=', value: '' }],
      over: { fn: 'avg_over_time', windowMs: sustain },
      select: { op: 'bottomk', k: limit },
    },
    unassigned: { metric: DCGM.util, matchers: [{ label: 'pod', op: '=', value: '' }] },
    eccErrors: { metric: DCGM.eccDbe, compare: { op: '>', value: 0 } },
    xidErrors: { metric: DCGM.xid, compare: { op: '>', value: 0 } },
    memoryPressure: { metric: DERIVED.fbUsedPct, compare: { op: '>', value: fbPressurePct } },
    nodeUtil: { metric: DCGM.util, aggregate: { op: 'avg', by: [HOST_LABEL] } },
    nodeTempMax: { metric: DCGM.temp, aggregate: { op: 'max', by: [HOST_LABEL] } },
  }),
});

/** NVLink traffic per GPU of a node over a range. */
export const gpuNvlinkThroughput = defineGpuQuery({
  id: 'gpu-nvlink-throughput',
  title: 'NVLink throughput of a node',
  description: 'Bytes per second sent and received over NVLink by each GPU of a node.',
  examples: ['nvlink traffic on node-7', 'is nvlink busy on node-4?'],
  kind: 'range',
  params: z.object({
    node: nodeName,
    gpu: gpuIndex.optional(),
    range: z.string().default('1h').pipe(queryRange),
  }),
  build: ({ node, gpu, range }) => {
    const base = { ...onNode(node, gpu), range: { rangeMs: range, stepMs: stepFor(range) } };
    return {
      tx: { metric: DCGM.nvlinkTx, ...base, aggregate: { op: 'sum', by: ['gpu'] } },
      rx: { metric: DCGM.nvlinkRx, ...base, aggregate: { op: 'sum', by: ['gpu'] } },
    };
  },
});

/** InfiniBand ports: state now, throughput, and error counters' increase over the range. */
export const infinibandPorts = defineGpuQuery({
  id: 'infiniband-ports',
  title: 'InfiniBand port state and errors',
  description:
    'Port state, link rate, current throughput and error increases per HCA port of a node (or all).',
  examples: ['is infiniband ok on node-6?', 'ib link down?', 'infiniband errors last hour'],
  kind: 'instant',
  params: z.object({ node: nodeName.optional(), range: z.string().default('1h').pipe(queryRange) }),
  build: ({ node, range }): Record<string, GpuQuerySpecInput> => {
    const at = node ? { node: { value: node, source: 'node-exporter' as const } } : {};
    const inc = { fn: 'increase' as const, windowMs: range };
    const rate = { fn: 'rate' as const, windowMs: 5 * 60_000 };
    return {
      state: { metric: INFINIBAND.portState, ...at },
      rate: { metric: INFINIBAND.rate, ...at },
      txBytesPerSec: { metric: INFINIBAND.txBytes, ...at, over: rate },
      rxBytesPerSec: { metric: INFINIBAND.rxBytes, ...at, over: rate },
      linkDowned: { metric: INFINIBAND.linkDowned, ...at, over: inc },
      symbolErrors: { metric: INFINIBAND.symbolErrors, ...at, over: inc },
      linkErrorRecovery: { metric: INFINIBAND.linkErrorRecovery, ...at, over: inc },
    };
  },
});

/**
 * What the bot can and cannot see, per node: GPUs reporting now and within the look-back, which
 * blind-spot fields each node exports, and the DCGM scrape targets that are down (`up == 0`).
 * Read by `/gpu coverage` together with the nodes' GPU capacity from the Kubernetes API.
 */
export const gpuCoverage = defineGpuQuery({
  id: 'gpu-coverage',
  title: 'GPU telemetry coverage',
  description: 'GPUs reporting per node now and recently, fields each node exports, DCGM exporters down.',
  examples: ['/gpu coverage', 'which GPU nodes are not monitored?', 'is any dcgm exporter down?'],
  kind: 'instant',
  params: z.object({
    lookback: z.string().default('1h').pipe(queryRange),
    /** Scrape jobs of the DCGM exporters, as a regex on `job` (kube-prometheus: `.*dcgm.*`). */
    job: z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9_.*|-]+$/, 'a job name or simple regex')
      .default('.*dcgm.*'),
  }),
  build: ({ lookback, job }): Record<string, GpuQuerySpecInput> => {
    const perNode = { op: 'count' as const, by: [HOST_LABEL] };
    const fields = Object.fromEntries(
      COVERAGE_FIELDS.map((metric) => [`field:${metric}`, { metric, aggregate: perNode }]),
    );
    return {
      reporting: { metric: DCGM.temp, aggregate: perNode },
      seen: { metric: DCGM.temp, over: { fn: 'max_over_time', windowMs: lookback }, aggregate: perNode },
      targets: { metric: SCRAPE.up, matchers: [{ label: 'job', op: '=~', value: job }] },
      ...fields,
    };
  },
});

/** Every vetted GPU query, for the catalog and the LLM tool list. */
export const gpuQueries: readonly VettedGpuQuery[] = [
  gpuNodeState,
  gpuNodeHistory,
  gpuFleetSummary,
  gpuNvlinkThroughput,
  infinibandPorts,
];
