import { z } from 'zod';
import { formatDuration, parseDuration } from '../../core/duration.ts';

/** A Kubernetes node name (RFC 1123 subdomain): what users may type after `/gpu`. */
export const nodeName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a node name is letters, digits, dots and dashes, like node-7');

/** A GPU index on a node (HGX boards have 8; leave room for 16). */
export const gpuIndex = z.coerce.number().int().min(0).max(15);

export const MIN_RANGE_MS = 5 * 60_000;
export const MAX_RANGE_MS = 7 * 86_400_000;

/** A look-back range like `1h` or `6h`, between 5 minutes and 7 days, in milliseconds. */
export const queryRange = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a range; write it like 30m, 1h or 6h` });
    return z.NEVER;
  }
  if (ms < MIN_RANGE_MS || ms > MAX_RANGE_MS) {
    ctx.addIssue({
      code: 'custom',
      message: `range must be between ${formatDuration(MIN_RANGE_MS)} and ${formatDuration(MAX_RANGE_MS)}`,
    });
    return z.NEVER;
  }
  return ms;
});

const MIN_STEP_MS = 15_000;
const TARGET_POINTS = 240;

/** Step for a range: about 240 points, a multiple of 15 s (the scrape interval rarely is finer). */
export function stepFor(rangeMs: number): number {
  return Math.max(MIN_STEP_MS, Math.ceil(rangeMs / TARGET_POINTS / MIN_STEP_MS) * MIN_STEP_MS);
}
