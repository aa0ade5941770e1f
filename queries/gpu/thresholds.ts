import { z } from 'zod';
import { durationMs } from '../../core/duration.ts';
import { describeXid, lookupXid } from '../../core/gpu/xid-catalog.ts';
import type { Tone } from '../../core/message.ts';
import { describeClockEvents, hasConcerningClockEvents } from './clock-events.ts';
import {
  checkMemoryRepair,
  checkNvlink,
  checkThrottle,
  type GpuErrorReading,
  gpuErrorPolicy,
} from './error-checks.ts';

const pct = z.number().min(0).max(100);

/**
 * GPU thresholds with the operations guide's defaults; the policy file may override any of them.
 * Utilisation thresholds apply only to throughput (training/batch) work: an inference replica
 * idling at night is capacity held for latency, not waste.
 */
export const gpuThresholdPolicy = z
  .object({
    utilization: z
      .object({
        warningBelowPct: pct.default(30),
        criticalBelowPct: pct.default(10),
        /** How long the mean must stay low before it counts. */
        sustain: durationMs({ min: 60_000, max: 6 * 3_600_000 }).default(30 * 60_000),
      })
      .prefault({}),
    framebuffer: z
      .object({ warningAbovePct: pct.default(85), criticalAbovePct: pct.default(95) })
      .prefault({}),
    temperature: z
      .object({ warningAboveC: z.number().default(78), criticalAboveC: z.number().default(83) })
      .prefault({}),
    workload: z
      .object({
        /** Namespaces whose GPUs run throughput work. */
        throughputNamespaces: z.array(z.string()).default(['ml-train', 'training', 'batch']),
        /** Nodes whose GPUs count as throughput even without a pod (a training pool). */
        throughputNodes: z.array(z.string()).default([]),
      })
      .prefault({}),
    /** What a node should report when the Kubernetes API does not say (its `nvidia.com/gpu` capacity wins). */
    coverage: z.object({ expectedGpusPerNode: z.number().int().min(1).max(16).optional() }).prefault({}),
    /** Row remapping, NVLink errors and throttle time (see error-checks.ts). */
    errors: gpuErrorPolicy.prefault({}),
  })
  .refine((p) => p.utilization.criticalBelowPct <= p.utilization.warningBelowPct, {
    message: 'utilization.criticalBelowPct must not exceed warningBelowPct',
  })
  .refine((p) => p.framebuffer.warningAbovePct <= p.framebuffer.criticalAbovePct, {
    message: 'framebuffer.warningAbovePct must not exceed criticalAbovePct',
  })
  .refine((p) => p.temperature.warningAboveC <= p.temperature.criticalAboveC, {
    message: 'temperature.warningAboveC must not exceed criticalAboveC',
  });
export type GpuThresholdPolicy = z.infer<typeof gpuThresholdPolicy>;

export const DEFAULT_GPU_POLICY: GpuThresholdPolicy = gpuThresholdPolicy.parse({});

export type Level = 'ok' | 'warning' | 'critical' | 'exempt' | 'unknown';
const RANK: Record<Level, number> = { unknown: 0, exempt: 0, ok: 1, warning: 2, critical: 3 };

export interface Check {
  level: Level;
  /** Why, in words; empty when ok. */
  reason: string;
}

/** What is known about one GPU; any reading may be missing. */
export interface GpuReading extends GpuErrorReading {
  node: string;
  gpu: number;
  namespace?: string;
  pod?: string;
  utilPct?: number;
  /** Mean utilisation over the policy's sustain window. */
  utilSustainedPct?: number;
  fbUsedMiB?: number;
  fbFreeMiB?: number;
  tempC?: number;
  eccDbe?: number;
  xid?: number;
  clockEvents?: number;
}

export interface GpuVerdict {
  level: Level;
  workload: 'throughput' | 'latency';
  util: Check;
  memory: Check;
  temperature: Check;
  ecc: Check;
  xid: Check;
  clocks: Check;
  /** Row remapping / page retirement. */
  memoryRepair: Check;
  nvlink: Check;
  /** Time throttled by power or heat over the window. */
  throttle: Check;
  /** Non-ok reasons, worst first. */
  findings: string[];
}

/** Throughput (training/batch) or latency-sensitive (inference) work, from namespace or node policy. */
export function workloadOf(r: GpuReading, policy: GpuThresholdPolicy): 'throughput' | 'latency' {
  const w = policy.workload;
  if (r.namespace && w.throughputNamespaces.includes(r.namespace)) return 'throughput';
  if (!r.pod && w.throughputNodes.includes(r.node)) return 'throughput';
  return 'latency';
}

function above(value: number | undefined, warn: number, crit: number, what: string, unit: string): Check {
  if (value === undefined) return { level: 'unknown', reason: '' };
  const v = `${Math.round(value)}${unit}`;
  if (value > crit) return { level: 'critical', reason: `${what} ${v} > ${crit}${unit}` };
  if (value > warn) return { level: 'warning', reason: `${what} ${v} > ${warn}${unit}` };
  return { level: 'ok', reason: '' };
}

function checkUtil(r: GpuReading, policy: GpuThresholdPolicy, workload: 'throughput' | 'latency'): Check {
  const value = r.utilSustainedPct ?? r.utilPct;
  if (value === undefined) return { level: 'unknown', reason: '' };
  if (workload === 'latency') return { level: 'exempt', reason: '' };
  const u = policy.utilization;
  const v = `utilisation ${Math.round(value)}%`;
  if (value < u.criticalBelowPct)
    return { level: 'critical', reason: `${v} < ${u.criticalBelowPct}% (throughput)` };
  if (value < u.warningBelowPct)
    return { level: 'warning', reason: `${v} < ${u.warningBelowPct}% (throughput)` };
  return { level: 'ok', reason: '' };
}

function fbPct(r: GpuReading): number | undefined {
  if (r.fbUsedMiB === undefined || r.fbFreeMiB === undefined) return undefined;
  const total = r.fbUsedMiB + r.fbFreeMiB;
  return total > 0 ? (100 * r.fbUsedMiB) / total : undefined;
}

/**
 * What to do about uncorrectable ECC errors: reset (the catalog's XID 48 action); replacement is
 * for a failed remap or a repeat, which the XID reading says when it sees them.
 */
const ECC_ACTION = `${lookupXid(48)!.actionText.replace(/\.$/, '')}; replace it only ${lookupXid(48)!.replaceWhen}`;

/**
 * The last XID against the catalog: a P1 XID (the GPU failed) is critical, any other known or
 * unknown XID a warning that names it and what to do.
 */
function checkXid(xid: number | undefined): Check {
  if (xid === undefined) return { level: 'unknown', reason: '' };
  if (xid === 0) return { level: 'ok', reason: '' };
  const entry = lookupXid(xid);
  const reason = entry
    ? `${describeXid(xid)}: ${entry.actionText}`
    : `${describeXid(xid)} (not in the catalog)`;
  return { level: entry?.tier === 'P1' ? 'critical' : 'warning', reason };
}

/** Classifies one GPU against the policy; the worst check decides the overall level. */
export function classifyGpu(r: GpuReading, policy: GpuThresholdPolicy = DEFAULT_GPU_POLICY): GpuVerdict {
  const workload = workloadOf(r, policy);
  const util = checkUtil(r, policy, workload);
  const fb = policy.framebuffer;
  const memory = above(fbPct(r), fb.warningAbovePct, fb.criticalAbovePct, 'memory', '%');
  const t = policy.temperature;
  const temperature = above(r.tempC, t.warningAboveC, t.criticalAboveC, 'temperature', ' °C');
  const ecc: Check =
    r.eccDbe === undefined
      ? { level: 'unknown', reason: '' }
      : r.eccDbe > 0
        ? { level: 'critical', reason: `${r.eccDbe} uncorrectable ECC error(s): ${ECC_ACTION}` }
        : { level: 'ok', reason: '' };
  const xid = checkXid(r.xid);
  const clocks: Check =
    r.clockEvents === undefined
      ? { level: 'unknown', reason: '' }
      : hasConcerningClockEvents(r.clockEvents)
        ? { level: 'warning', reason: `clocks slowed: ${describeClockEvents(r.clockEvents)}` }
        : { level: 'ok', reason: '' };
  const memoryRepair = checkMemoryRepair(r, policy.errors);
  const nvlink = checkNvlink(r, policy.errors);
  const throttle = checkThrottle(r, policy.errors);
  const checks = [ecc, xid, memoryRepair, nvlink, temperature, throttle, memory, util, clocks];
  const worst = checks.reduce<Level>((acc, c) => (RANK[c.level] > RANK[acc] ? c.level : acc), 'unknown');
  const findings = checks
    .filter((c) => c.level === 'critical' || c.level === 'warning')
    .sort((a, b) => RANK[b.level] - RANK[a.level])
    .map((c) => c.reason);
  return {
    level: worst,
    workload,
    util,
    memory,
    temperature,
    ecc,
    xid,
    clocks,
    memoryRepair,
    nvlink,
    throttle,
    findings,
  };
}

/** The card tone for a level: the renderers map tones to platform colours. */
export function toneOf(level: Level): Tone {
  if (level === 'critical') return 'attention';
  if (level === 'warning') return 'warning';
  if (level === 'ok') return 'good';
  return 'default';
}
