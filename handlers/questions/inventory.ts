import { z } from 'zod';

/** The names the router may resolve fuzzy words to; anything else is never invented. */
export const inventorySchema = z.object({
  deployments: z.array(z.string().min(1)).default([]),
  appRoles: z.array(z.string().min(1)).default([]),
  teams: z.array(z.string().min(1)).default([]),
  nodes: z.array(z.string().min(1)).default([]),
  /** Operation names as the telemetry has them (`POST /chat`). */
  operations: z.array(z.string().min(1)).default([]),
  /** Model versions seen in the telemetry (`2024-11-20`). */
  modelVersions: z.array(z.string().min(1)).default([]),
});
export type Inventory = z.infer<typeof inventorySchema>;
export type InventoryInput = z.input<typeof inventorySchema>;
