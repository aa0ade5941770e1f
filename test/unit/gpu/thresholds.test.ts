import { describe, expect, it } from 'vitest';
import {
  decodeClockEvents,
  describeClockEvents,
  hasConcerningClockEvents,
} from '../../../queries/gpu/clock-events.ts';
import { classifyGpu, gpuThresholdPolicy, toneOf } from '../../../queries/gpu/thresholds.ts';

const healthy = {
  node: 'node-4',
  gpu: 0,
  namespace: 'ml-train',
  pod: 'llm-pretrain-worker-0',
  utilPct: 95,
  utilSustainedPct: 94,
  fbUsedMiB: 60_000,
  fbFreeMiB: 21_000,
  tempC: 70,
  eccDbe: 0,
  xid: 0,
  clockEvents: 0,
};

describe('classifyGpu', () => {
  it('finds a healthy training GPU ok', () => {
    const v = classifyGpu(healthy);
    expect(v.level).toBe('ok');
    expect(v.workload).toBe('throughput');
    expect(v.findings).toEqual([]);
  });

  it('applies temperature and memory thresholds at their boundaries', () => {
    expect(classifyGpu({ ...healthy, tempC: 78 }).temperature.level).toBe('ok');
    expect(classifyGpu({ ...healthy, tempC: 79 }).temperature.level).toBe('warning');
    expect(classifyGpu({ ...healthy, tempC: 84 }).temperature.level).toBe('critical');
    expect(classifyGpu({ ...healthy, fbUsedMiB: 70_000, fbFreeMiB: 11_000 }).memory.level).toBe('warning');
    expect(classifyGpu({ ...healthy, fbUsedMiB: 78_000, fbFreeMiB: 3_000 }).memory.level).toBe('critical');
  });

  it('flags low sustained utilisation only for throughput work', () => {
    expect(classifyGpu({ ...healthy, utilPct: 2, utilSustainedPct: 25 }).util.level).toBe('warning');
    expect(classifyGpu({ ...healthy, utilPct: 50, utilSustainedPct: 5 }).util.level).toBe('critical');
    const inference = classifyGpu({ ...healthy, namespace: 'inference', utilSustainedPct: 3 });
    expect(inference.workload).toBe('latency');
    expect(inference.util.level).toBe('exempt');
    expect(inference.level).toBe('ok');
  });

  it('treats any uncorrectable ECC error as critical: reset the GPU, replace only on a failed remap', () => {
    const v = classifyGpu({ ...healthy, eccDbe: 1, xid: 48 });
    expect(v.level).toBe('critical');
    expect(v.findings[0]).toMatch(/^1 uncorrectable ECC error\(s\): Reset the GPU/);
    expect(v.findings[0]).toContain('replace it only when a row remap fails (XID 64)');
    expect(v.findings.join(' ')).not.toMatch(/: replace (the )?GPU/);
    expect(v.xid.level).toBe('critical');
    expect(v.xid.reason).toBe(
      'XID 48 (Double-bit ECC error): Reset the GPU; when XID 63 or 64 follows, drain the node first, then reset.',
    );
  });

  it('grades XIDs by the catalog: the GPU failing is critical, the application or a recorded remap a warning', () => {
    expect(classifyGpu({ ...healthy, xid: 79 }).xid).toEqual({
      level: 'critical',
      reason:
        'XID 79 (GPU fell off the bus): Drain and reboot the node; a GPU reset is not possible while it is off the bus.',
    });
    expect(classifyGpu({ ...healthy, xid: 13 }).xid.level).toBe('warning');
    expect(classifyGpu({ ...healthy, xid: 63 }).xid.level).toBe('warning');
    expect(classifyGpu({ ...healthy, xid: 120 }).xid.level).toBe('critical');
    expect(classifyGpu({ ...healthy, xid: 777 }).xid).toEqual({
      level: 'warning',
      reason: 'XID 777 (not in the catalog)',
    });
  });

  it('follows a policy override and rejects an inverted one', () => {
    const policy = gpuThresholdPolicy.parse({
      temperature: { warningAboveC: 70, criticalAboveC: 75 },
      workload: { throughputNamespaces: ['inference'] },
    });
    expect(classifyGpu({ ...healthy, tempC: 76 }, policy).temperature.level).toBe('critical');
    expect(classifyGpu({ ...healthy, namespace: 'inference', utilSustainedPct: 5 }, policy).util.level).toBe(
      'critical',
    );
    expect(policy.framebuffer.criticalAbovePct).toBe(95);
    expect(policy.utilization.sustain).toBe(30 * 60_000);
    expect(gpuThresholdPolicy.safeParse({ framebuffer: { warningAbovePct: 97 } }).success).toBe(false);
  });

  it('counts thermal clock events as a warning and maps levels to tones', () => {
    const v = classifyGpu({ ...healthy, clockEvents: 0x60 });
    expect(v.clocks.level).toBe('warning');
    expect(v.clocks.reason).toContain('SW thermal slowdown');
    expect(toneOf('critical')).toBe('attention');
    expect(toneOf('warning')).toBe('warning');
    expect(toneOf('ok')).toBe('good');
    expect(toneOf('exempt')).toBe('default');
  });
});

describe('classifyGpu on row remapping, NVLink and throttle time', () => {
  it('grades a failed remap critical, a pending one a warning, with the catalog actions', () => {
    const failed = classifyGpu({ ...healthy, remapPending: 0, remapFailure: 1 });
    expect(failed.level).toBe('critical');
    expect(failed.memoryRepair.reason).toBe('row remapping failed: Drain the node and reset the GPU');
    const pending = classifyGpu({ ...healthy, remapPending: 1, remapFailure: 0 });
    expect(pending.level).toBe('warning');
    expect(pending.findings).toEqual([
      'row remap pending: No action now; reset the GPU at the next drain so the remap takes effect',
    ]);
    expect(classifyGpu({ ...healthy, remapPending: 0, remapFailure: 0 }).memoryRepair.level).toBe('ok');
    // A GPU whose exporter does not report the fields is not "ok" for them: it is unknown.
    expect(classifyGpu(healthy).memoryRepair.level).toBe('unknown');
  });

  it('counts retired pages (older GPUs) against the policy', () => {
    expect(classifyGpu({ ...healthy, retiredPages: 9, retiredPending: 0 }).level).toBe('ok');
    expect(classifyGpu({ ...healthy, retiredPages: 10, retiredPending: 0 }).memoryRepair.reason).toContain(
      '10 retired pages',
    );
    expect(classifyGpu({ ...healthy, retiredPages: 0, retiredPending: 1 }).memoryRepair.level).toBe(
      'warning',
    );
  });

  it('grades NVLink recoveries critical and CRC / replay streams a warning, at the policy thresholds', () => {
    const clean = { nvlinkCrcErrors: 100, nvlinkReplayErrors: 10, nvlinkRecoveryErrors: 0 };
    expect(classifyGpu({ ...healthy, ...clean }).nvlink.level).toBe('ok');
    expect(classifyGpu({ ...healthy, ...clean, nvlinkCrcErrors: 101 }).nvlink.level).toBe('warning');
    const rec = classifyGpu({ ...healthy, ...clean, nvlinkRecoveryErrors: 2 });
    expect(rec.level).toBe('critical');
    expect(rec.nvlink.reason).toMatch(
      /^NVLink recovered 2× \(links retrained\): Decode the NVLink error registers/,
    );
    const lenient = gpuThresholdPolicy.parse({ errors: { nvlink: { recoveryCriticalAbove: 5 } } });
    expect(classifyGpu({ ...healthy, ...clean, nvlinkRecoveryErrors: 2 }, lenient).nvlink.level).toBe('ok');
  });

  it('grades the share of time throttled by power or heat', () => {
    expect(classifyGpu({ ...healthy, powerThrottledPct: 5, thermalThrottledPct: 0 }).throttle.level).toBe(
      'ok',
    );
    const warm = classifyGpu({ ...healthy, powerThrottledPct: 1, thermalThrottledPct: 12 });
    expect(warm.throttle).toEqual({ level: 'warning', reason: 'throttled by heat 12% of the time (> 5%)' });
    expect(classifyGpu({ ...healthy, powerThrottledPct: 40 }).throttle.level).toBe('critical');
    expect(gpuThresholdPolicy.safeParse({ errors: { throttle: { warningAbovePct: 30 } } }).success).toBe(
      false,
    );
  });
});

describe('clock-event reasons', () => {
  it('decodes the bitmask into words', () => {
    expect(decodeClockEvents(0x48).map((r) => r.key)).toEqual(['hw_slowdown', 'hw_thermal']);
    expect(describeClockEvents(0x48)).toBe('HW slowdown, HW thermal slowdown');
    expect(describeClockEvents(0)).toBe('none');
    expect(describeClockEvents(0x4 | 0x80)).toBe('power cap, HW power brake');
    expect(describeClockEvents(0x1 | 0x400)).toBe('idle, unknown 0x400');
  });

  it('treats idle and application clocks as benign', () => {
    expect(hasConcerningClockEvents(0x1)).toBe(false);
    expect(hasConcerningClockEvents(0x3)).toBe(false);
    expect(hasConcerningClockEvents(0x20)).toBe(true);
  });
});
