import type { z } from 'zod';
import { durationMs } from '../../core/duration.ts';
import { inventorySchema } from './inventory.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The names questions may resolve to: discovered from the configured backends (the vetted
 * `inventory` query in Log Analytics, the nodes reporting DCGM metrics in Prometheus) every
 * `refreshEvery`, plus names and aliases written here (`aliases: { "4o": gpt-4o-prod-eastus }`).
 */
export const inventoryPolicy = inventorySchema
  .extend({
    /** How often a replica looks again (one replica's discovery is shared through the store). */
    refreshEvery: durationMs({ min: MINUTE, max: DAY }).default(15 * MINUTE),
    /** How far back the inventory query looks for names that served requests. */
    lookback: durationMs({ min: 3_600_000, max: 31 * DAY }).default(7 * DAY),
  })
  .strict()
  .prefault({});
export type InventoryPolicy = z.infer<typeof inventoryPolicy>;
