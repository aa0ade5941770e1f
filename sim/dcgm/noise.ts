/** FNV-1a over a string: stable across runs, so the same seed yields the same cluster. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A number in [0, 1) derived from a key; the simulator's only source of "randomness". */
export function unitHash(key: string): number {
  return hashString(key) / 0x1_0000_0000;
}

const SLOW_PERIOD_MS = 23 * 60_000;
const FAST_PERIOD_MS = 7 * 60_000;
const JITTER_PERIOD_MS = 47_000;

/**
 * Smooth, deterministic wobble in [-1, 1] at time `t` for a key. A pure function of time keeps
 * the simulator replayable: sampling the past after the fact gives what a scrape would have seen.
 */
export function wave(key: string, t: number): number {
  const phase = unitHash(key) * 2 * Math.PI;
  const slow = Math.sin((2 * Math.PI * t) / SLOW_PERIOD_MS + phase);
  const fast = Math.sin((2 * Math.PI * t) / FAST_PERIOD_MS + phase * 1.7);
  const jitter = Math.sin((2 * Math.PI * t) / JITTER_PERIOD_MS + phase * 3.1);
  return 0.55 * slow + 0.3 * fast + 0.15 * jitter;
}

const TRAFFIC_PERIOD_MS = 4 * 3_600_000;
const SURGE_PERIOD_MS = 53 * 60_000;

/**
 * Request-traffic shape in [-1, 1]: slow swells over hours with a smaller surge cycle, so
 * inference utilisation reads like traffic rather than like a sine wave.
 */
export function trafficWave(key: string, t: number): number {
  const phase = unitHash(key) * 2 * Math.PI;
  const swell = Math.sin((2 * Math.PI * t) / TRAFFIC_PERIOD_MS + phase);
  const surge = Math.sin((2 * Math.PI * t) / SURGE_PERIOD_MS + phase * 2.3);
  return 0.75 * swell + 0.25 * surge;
}

/** A hex string of `length` characters derived from a key (for UUIDs). */
export function hexFrom(key: string, length: number): string {
  let out = '';
  let i = 0;
  while (out.length < length) out += hashString(`${key}#${i++}`).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** `value` limited to `[min, max]`. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
