import { z } from 'zod';
import { lookupXid } from '../../core/gpu/xid-catalog.ts';

const pct = z.number().min(0).max(100);
const count = z.number().int().min(0);

/**
 * Thresholds of the hardware error signals beyond ECC and XIDs (policy `gpu.errors`). Counts are
 * over the window the card or chart reads (`/gpu node-7 range=1h`: the last hour).
 */
export const gpuErrorPolicy = z
  .object({
    nvlink: z
      .object({
        /** CRC errors (flit + data) a link retries silently; a few are normal, a stream is a bad link. */
        crcWarningAbove: count.default(100),
        /** Replays: the link resent data after a CRC error. */
        replayWarningAbove: count.default(10),
        /** Recoveries: the link went down and retrained; traffic stalled meanwhile. */
        recoveryCriticalAbove: count.default(0),
      })
      .prefault({}),
    throttle: z
      .object({
        /** Share of the window the clocks were held down by power (cap or brake) or by heat. */
        warningAbovePct: pct.default(5),
        criticalAbovePct: pct.default(25),
      })
      .prefault({}),
    retiredPages: z
      .object({
        /** Retired pages (pre-Ampere GPUs) from which the GPU counts as wearing out. */
        warningAtOrAbove: count.default(10),
      })
      .prefault({}),
  })
  .refine((p) => p.throttle.warningAbovePct <= p.throttle.criticalAbovePct, {
    message: 'errors.throttle.warningAbovePct must not exceed criticalAbovePct',
  });
export type GpuErrorPolicy = z.infer<typeof gpuErrorPolicy>;

/** What the exporter says about a GPU's memory remapping, NVLink and throttling; any part may be missing. */
export interface GpuErrorReading {
  /** 1 while a row remap waits for a reset (`DCGM_FI_DEV_ROW_REMAP_PENDING`). */
  remapPending?: number;
  /** 1 once remapping failed (`DCGM_FI_DEV_ROW_REMAP_FAILURE`). */
  remapFailure?: number;
  /** Rows remapped after uncorrectable errors, since the GPU was made. */
  remapUncorrectableRows?: number;
  retiredPages?: number;
  retiredPending?: number;
  /** Increases over the window. */
  nvlinkCrcErrors?: number;
  nvlinkReplayErrors?: number;
  nvlinkRecoveryErrors?: number;
  /** Share of the window throttled, 0–100. */
  powerThrottledPct?: number;
  thermalThrottledPct?: number;
}

type Level = 'ok' | 'warning' | 'critical' | 'unknown';
interface Check {
  level: Level;
  reason: string;
}

const UNKNOWN: Check = { level: 'unknown', reason: '' };
const OK: Check = { level: 'ok', reason: '' };
const defined = (...values: Array<number | undefined>) => values.some((v) => v !== undefined);
const firstSentence = (text: string) => text.replace(/\.$/, '');

/**
 * Row remapping (Ampere and newer) and page retirement (older GPUs): a failed remap is critical
 * (the catalog's XID 64 action), a pending one a warning (XID 63: reset at the next drain).
 */
export function checkMemoryRepair(r: GpuErrorReading, policy: GpuErrorPolicy): Check {
  if (!defined(r.remapPending, r.remapFailure, r.retiredPages, r.retiredPending)) return UNKNOWN;
  if (r.remapFailure)
    return { level: 'critical', reason: `row remapping failed: ${firstSentence(lookupXid(64)!.actionText)}` };
  if (r.remapPending)
    return { level: 'warning', reason: `row remap pending: ${firstSentence(lookupXid(63)!.actionText)}` };
  if (r.retiredPending)
    return {
      level: 'warning',
      reason: 'page retirement pending: reset the GPU at the next drain to retire it',
    };
  const limit = policy.retiredPages.warningAtOrAbove;
  if (r.retiredPages !== undefined && r.retiredPages >= limit)
    return {
      level: 'warning',
      reason: `${r.retiredPages} retired pages (≥ ${limit}): the memory is wearing out`,
    };
  return OK;
}

/** NVLink errors over the window: recoveries stall traffic (critical), CRC and replay streams warn. */
export function checkNvlink(r: GpuErrorReading, policy: GpuErrorPolicy): Check {
  if (!defined(r.nvlinkCrcErrors, r.nvlinkReplayErrors, r.nvlinkRecoveryErrors)) return UNKNOWN;
  const p = policy.nvlink;
  const n = (v: number | undefined) => Math.round(v ?? 0);
  if (n(r.nvlinkRecoveryErrors) > p.recoveryCriticalAbove)
    return {
      level: 'critical',
      reason: `NVLink recovered ${n(r.nvlinkRecoveryErrors)}× (links retrained): ${firstSentence(lookupXid(74)!.actionText)}`,
    };
  if (n(r.nvlinkCrcErrors) > p.crcWarningAbove || n(r.nvlinkReplayErrors) > p.replayWarningAbove)
    return {
      level: 'warning',
      reason: `NVLink ${n(r.nvlinkCrcErrors)} CRC errors, ${n(r.nvlinkReplayErrors)} replays: a link is degrading`,
    };
  return OK;
}

/** Time throttled by power or heat over the window, against the policy's shares. */
export function checkThrottle(r: GpuErrorReading, policy: GpuErrorPolicy): Check {
  if (!defined(r.powerThrottledPct, r.thermalThrottledPct)) return UNKNOWN;
  const power = r.powerThrottledPct ?? 0;
  const thermal = r.thermalThrottledPct ?? 0;
  const [what, share] = power >= thermal ? ['power', power] : ['heat', thermal];
  const { warningAbovePct: warn, criticalAbovePct: crit } = policy.throttle;
  const text = `throttled by ${what} ${Math.round(share)}% of the time`;
  if (share > crit) return { level: 'critical', reason: `${text} (> ${crit}%)` };
  if (share > warn) return { level: 'warning', reason: `${text} (> ${warn}%)` };
  return OK;
}
