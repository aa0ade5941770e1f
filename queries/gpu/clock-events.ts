/** One clock-event reason bit (formats.md §5; values match NVML `nvmlClocksEventReason*`). */
export interface ClockEventReason {
  bit: number;
  /** The exporter's `clock_event` label value. */
  key: string;
  /** Words for people. */
  words: string;
  /** Whether the reason means the GPU is slowed by a problem rather than by design or idleness. */
  concerning: boolean;
}

export const CLOCK_EVENT_REASONS: readonly ClockEventReason[] = [
  { bit: 0x001, key: 'gpu_idle', words: 'idle', concerning: false },
  { bit: 0x002, key: 'clocks_setting', words: 'application clocks setting', concerning: false },
  { bit: 0x004, key: 'power_cap', words: 'power cap', concerning: true },
  { bit: 0x008, key: 'hw_slowdown', words: 'HW slowdown', concerning: true },
  { bit: 0x010, key: 'sync_boost', words: 'sync boost', concerning: false },
  { bit: 0x020, key: 'sw_thermal', words: 'SW thermal slowdown', concerning: true },
  { bit: 0x040, key: 'hw_thermal', words: 'HW thermal slowdown', concerning: true },
  { bit: 0x080, key: 'hw_power_brake', words: 'HW power brake', concerning: true },
  { bit: 0x100, key: 'display_clocks', words: 'display clocks setting', concerning: false },
];

const KNOWN_MASK = CLOCK_EVENT_REASONS.reduce((m, r) => m | r.bit, 0);

/** The reasons set in a raw `DCGM_FI_DEV_CLOCKS_EVENT_REASONS` value, lowest bit first. */
export function decodeClockEvents(mask: number): ClockEventReason[] {
  if (!Number.isFinite(mask) || mask <= 0) return [];
  const m = Math.trunc(mask);
  return CLOCK_EVENT_REASONS.filter((r) => (m & r.bit) !== 0);
}

/**
 * Words for a raw value: `"HW slowdown, HW thermal slowdown"` for 0x48, `"none"` for 0, and the
 * leftover bits in hex when a newer driver sets one this table does not know.
 */
export function describeClockEvents(mask: number): string {
  const words = decodeClockEvents(mask).map((r) => r.words);
  const unknown = Number.isFinite(mask) && mask > 0 ? Math.trunc(mask) & ~KNOWN_MASK : 0;
  if (unknown) words.push(`unknown 0x${unknown.toString(16)}`);
  return words.length ? words.join(', ') : 'none';
}

/** True when any set reason means the GPU is being slowed by heat, power or hardware. */
export function hasConcerningClockEvents(mask: number): boolean {
  return decodeClockEvents(mask).some((r) => r.concerning);
}
