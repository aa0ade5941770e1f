import type { EpisodeLog } from './episodes.ts';
import { clamp, trafficWave, unitHash, wave } from './noise.ts';
import {
  CLOCK_EVENT_BITS,
  type DcgmClusterOptions,
  IB_RATE_BYTES_PER_SECOND,
  POWER_LIMIT_W,
} from './options.ts';
import type { GpuInfo, NodeInfo } from './topology.ts';

/** What one GPU reports at one instant, in the exporter's units. */
export interface GpuSample {
  gpu: GpuInfo;
  utilPct: number;
  fbUsedMiB: number;
  fbFreeMiB: number;
  tempC: number;
  powerW: number;
  /** Last XID seen (0 when none). */
  xid: number;
  /** XIDs reported within the exporter's XID count window, per XID (`DCGM_EXP_XID_ERRORS_COUNT`). */
  xidCounts: ReadonlyMap<number, number>;
  /** The GPU fell off the bus (XID 79): the exporter no longer sees it, so it reports nothing. */
  offBus: boolean;
  eccDbeVolatile: number;
  /** Rows remapped after uncorrectable / correctable errors (counters of the row remapper). */
  remapUncorrectableRows: number;
  remapCorrectableRows: number;
  /** 1 while a remap waits for a GPU reset to take effect. */
  remapPending: number;
  /** 1 once remapping failed (XID 64), until the GPU is reset. */
  remapFailure: number;
  nvlinkCrcFlitErrors: number;
  nvlinkCrcDataErrors: number;
  nvlinkReplayErrors: number;
  nvlinkRecoveryErrors: number;
  /** Time spent throttled by power and by heat since boot, in nanoseconds (counters). */
  powerViolationNs: number;
  thermalViolationNs: number;
  clockEventReasons: number;
  nvlinkTxBytesPerSec: number;
  nvlinkRxBytesPerSec: number;
}

/** One InfiniBand port as node-exporter's infiniband collector reports it. */
export interface IbPortSample {
  device: string;
  port: string;
  /** 1 down, 4 active. */
  stateId: number;
  /** 2 polling, 5 link up. */
  physicalStateId: number;
  rateBytesPerSecond: number;
  txBytesTotal: number;
  rxBytesTotal: number;
  linkDownedTotal: number;
  symbolErrorTotal: number;
  linkErrorRecoveryTotal: number;
}

export interface NodeSample {
  node: NodeInfo;
  /** False while the node's DCGM exporter is down: it then exports no GPU series at all. */
  exporterUp: boolean;
  gpus: GpuSample[];
  ib: IbPortSample[];
}

export interface SampleContext {
  opts: DcgmClusterOptions;
  episodes: EpisodeLog;
  /** Counters count from here (the nodes' boot). */
  bootAt: number;
  /** 0..1: how much an InfiniBand problem anywhere in the training pool stalls the whole job. */
  jobStall: number;
}

const HEAT_PEAK_C = 89;
const TARGETED_PEAK_C = 88;
/** Where the driver starts slowing clocks for heat (the SW thermal slowdown bit). */
const THERMAL_SLOWDOWN_C = 83;
/** The exporter's default `--xid-count-window-size`. */
export const XID_COUNT_WINDOW_MS = 5 * 60_000;
/** Resolution of the thermal-violation integral: fine next to a heat ramp of minutes. */
const THERMAL_STEP_MS = 15_000;

function baseUtil(ctx: SampleContext, node: NodeInfo, gpu: GpuInfo, key: string, t: number): number {
  if (!gpu.pod) return 0;
  if (node.pool === 'training') return clamp(95 + 3 * wave(key, t), 0, 100) * (1 - 0.7 * ctx.jobStall);
  // Inference follows traffic: one wave per node, so replicas on a node move together.
  return clamp(55 + 30 * trafficWave(`${ctx.opts.seed}/${node.name}/traffic`, t) + 2 * wave(key, t), 0, 100);
}

function fbUsed(ctx: SampleContext, node: NodeInfo, gpu: GpuInfo, key: string, t: number): number {
  const usable = ctx.opts.fbTotalMiB - ctx.opts.fbReservedMiB;
  if (!gpu.pod) return 1;
  // vLLM pre-allocates a fixed share; training memory breathes with the step.
  const normal = node.pool === 'training' ? usable * 0.8 + 1200 * wave(`${key}/fb`, t) : usable * 0.8;
  const pressure = ctx.episodes.strengthAt(node.name, 'memory-pressure', t, gpu.index);
  const target = usable * (0.972 + 0.004 * wave(`${key}/fbp`, t));
  return Math.round(normal + pressure * (target - normal));
}

/** Utilisation and temperature of one GPU at `t`: what clock events and violation time follow from. */
function thermalAt(
  ctx: SampleContext,
  node: NodeInfo,
  gpu: GpuInfo,
  t: number,
): { utilPct: number; tempC: number } {
  const key = `${ctx.opts.seed}/${node.name}/${gpu.index}`;
  const idle = ctx.episodes.strengthAt(node.name, 'idle', t, gpu.index);
  const util = baseUtil(ctx, node, gpu, key, t) * (1 - idle) + idle * (1.5 + wave(`${key}/idle`, t));
  const utilPct = Math.round(clamp(util, 0, 100));
  const normalTemp = 33 + 0.36 * utilPct + gpu.thermalOffsetC * 0.4 + 1.5 * wave(`${key}/temp`, t);
  const heat = ctx.episodes.strongestAt(node.name, 'heat', t, gpu.index);
  // A whole node heating up spreads like its boards do (the coolest stay under 83 °C); a GPU
  // named on purpose reaches the episode's peak.
  const peak = heat.episode?.gpus ? (heat.episode.peak ?? TARGETED_PEAK_C) : HEAT_PEAK_C - gpu.thermalOffsetC;
  return { utilPct, tempC: Math.round(normalTemp + heat.strength * Math.max(0, peak - normalTemp)) };
}

/** Nanoseconds spent above the thermal slowdown point since boot, integrated over heat episodes. */
function thermalViolationNs(ctx: SampleContext, node: NodeInfo, gpu: GpuInfo, t: number): number {
  let ms = 0;
  for (const ep of ctx.episodes.startedOnGpu(node.name, 'heat', t, gpu.index)) {
    // Heat cools down over the ramp after the episode ends.
    const until = Math.min(t, (ep.end ?? t) + Math.max(1, ep.rampMs));
    for (let s = Math.max(ctx.bootAt, ep.start); s < until; s += THERMAL_STEP_MS) {
      if (thermalAt(ctx, node, gpu, s).tempC >= THERMAL_SLOWDOWN_C)
        ms += Math.min(THERMAL_STEP_MS, until - s);
    }
  }
  return ms * 1e6;
}

/** The XIDs the driver reported on a GPU by `t`, oldest first: ECC episodes raise 48, XID episodes their code. */
function xidEvents(ctx: SampleContext, node: NodeInfo, gpu: GpuInfo, t: number) {
  const ecc = ctx.episodes.startedOnGpu(node.name, 'ecc', t, gpu.index).map((ep) => ({ ep, xid: 48 }));
  const other = ctx.episodes
    .startedOnGpu(node.name, 'xid', t, gpu.index)
    .map((ep) => ({ ep, xid: ep.code ?? 0 }));
  return [...ecc, ...other].sort((a, b) => a.ep.start - b.ep.start);
}

const isOpen = (ep: { end?: number }, t: number) => ep.end === undefined || t < ep.end;

/** Samples one GPU at `t`. Pure: depends only on options, the episode log and `t`. */
export function sampleGpu(ctx: SampleContext, node: NodeInfo, gpu: GpuInfo, t: number): GpuSample {
  const key = `${ctx.opts.seed}/${node.name}/${gpu.index}`;
  const ep = ctx.episodes;
  const { utilPct, tempC } = thermalAt(ctx, node, gpu, t);
  const brake = ep.activeAt(node.name, 'power-brake', t, gpu.index).length > 0;

  let reasons = 0;
  if (utilPct < 5) reasons |= CLOCK_EVENT_BITS.gpuIdle;
  if (tempC >= THERMAL_SLOWDOWN_C) reasons |= CLOCK_EVENT_BITS.swThermal;
  if (tempC >= 86) reasons |= CLOCK_EVENT_BITS.hwThermal | CLOCK_EVENT_BITS.hwSlowdown;
  if (brake) reasons |= CLOCK_EVENT_BITS.hwPowerBrake | CLOCK_EVENT_BITS.hwSlowdown;

  const throttle = reasons & (CLOCK_EVENT_BITS.swThermal | CLOCK_EVENT_BITS.hwSlowdown) ? 0.82 : 1;
  // The power brake pulls the board down to a fraction of its limit, whatever the load.
  let powerW = (72 + 6.1 * utilPct + 8 * wave(`${key}/power`, t)) * (brake ? 0.4 : throttle);
  if (powerW >= POWER_LIMIT_W * 0.97) reasons |= CLOCK_EVENT_BITS.powerCap;
  powerW = clamp(powerW, 60, POWER_LIMIT_W);

  const used = fbUsed(ctx, node, gpu, key, t);
  const eccEpisodes = ep.startedOnGpu(node.name, 'ecc', t, gpu.index);
  const eccDbeVolatile = eccEpisodes.filter((e) => isOpen(e, t)).length;
  const nvlinkPeak = node.pool === 'training' ? 140e9 : 30e9;
  const nvlink = (utilPct / 100) * nvlinkPeak * (1 + 0.05 * wave(`${key}/nvl`, t));

  const events = xidEvents(ctx, node, gpu, t);
  const active = events.filter((e) => isOpen(e.ep, t));
  const xidCounts = new Map<number, number>();
  for (const e of events)
    if (e.ep.start > t - XID_COUNT_WINDOW_MS) xidCounts.set(e.xid, (xidCounts.get(e.xid) ?? 0) + 1);
  const failed = active.some((e) => e.xid === 64);
  const nvlinkSec = ep.overlapOnGpuMs(node.name, 'nvlink-errors', ctx.bootAt, t, gpu.index) / 1000;
  const nvlinkEpisodes = ep.startedOnGpu(node.name, 'nvlink-errors', t, gpu.index).length;

  return {
    gpu,
    utilPct,
    fbUsedMiB: used,
    fbFreeMiB: ctx.opts.fbTotalMiB - ctx.opts.fbReservedMiB - used,
    tempC,
    powerW: Math.round(powerW * 1000) / 1000,
    xid: active.at(-1)?.xid ?? 0,
    xidCounts,
    offBus: active.some((e) => e.xid === 79),
    eccDbeVolatile,
    // Each uncorrectable error retires one row to a spare; a reset (recover) makes it take effect.
    remapUncorrectableRows: eccEpisodes.length,
    remapCorrectableRows: 0,
    remapPending: eccDbeVolatile > 0 && !failed ? 1 : 0,
    remapFailure: failed ? 1 : 0,
    nvlinkCrcFlitErrors: Math.floor(nvlinkSec * 20),
    nvlinkCrcDataErrors: Math.floor(nvlinkSec * 5),
    nvlinkReplayErrors: Math.floor(nvlinkSec * 2),
    // One link recovery when the errors start, then one every two minutes while they last.
    nvlinkRecoveryErrors: nvlinkEpisodes + Math.floor(nvlinkSec / 120),
    powerViolationNs: ep.overlapOnGpuMs(node.name, 'power-brake', ctx.bootAt, t, gpu.index) * 1e6,
    thermalViolationNs: thermalViolationNs(ctx, node, gpu, t),
    clockEventReasons: reasons,
    nvlinkTxBytesPerSec: Math.round(nvlink),
    nvlinkRxBytesPerSec: Math.round(nvlink * 0.98),
  };
}

/** Samples one HCA port at `t`; counters integrate over time since boot, minus link-down time. */
export function sampleIbPort(ctx: SampleContext, node: NodeInfo, device: string, t: number): IbPortSample {
  const ep = ctx.episodes;
  const since = Math.max(0, t - ctx.bootAt);
  const downMs = ep.overlapMs(node.name, 'ib-link-down', ctx.bootAt, t, device);
  const errorMs = ep.overlapMs(node.name, 'ib-errors', ctx.bootAt, t, device);
  const down = ep.activeAt(node.name, 'ib-link-down', t, undefined, device).length > 0;
  const avgRate = (node.pool === 'training' ? 0.36 : 0.01) * IB_RATE_BYTES_PER_SECOND;
  const spread = 0.9 + 0.2 * unitHash(`${ctx.opts.seed}/${node.name}/${device}`);
  const activeSeconds = Math.max(0, since - downMs) / 1000;
  // A few background symbol errors per day are normal; an episode adds tens per second.
  const symbolErrors = Math.floor(since / 3_600_000 / 6) + Math.floor((errorMs / 1000) * 40);
  return {
    device,
    port: '1',
    stateId: down ? 1 : 4,
    physicalStateId: down ? 2 : 5,
    rateBytesPerSecond: IB_RATE_BYTES_PER_SECOND,
    txBytesTotal: Math.floor(activeSeconds * avgRate * spread),
    rxBytesTotal: Math.floor(activeSeconds * avgRate * spread * 0.997),
    linkDownedTotal: ep.startedBy(node.name, 'ib-link-down', t, device),
    symbolErrorTotal: symbolErrors,
    linkErrorRecoveryTotal: Math.floor(errorMs / 2000),
  };
}
