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
  /**
   * Other words for a name of the lists above (`4o` → `gpt-4o-prod-eastus`), from the policy: a
   * question saying the alias resolves to the name. An alias of a name in no list resolves nowhere.
   */
  aliases: z.record(z.string().min(1).max(64), z.string().min(1).max(256)).default({}),
});
export type Inventory = z.infer<typeof inventorySchema>;
export type InventoryInput = z.input<typeof inventorySchema>;

const NAME_LISTS = ['deployments', 'appRoles', 'teams', 'nodes', 'operations', 'modelVersions'] as const;

/** Every name of each inventory, each once, in the order first seen; later aliases win. */
export function mergeInventories(...parts: readonly InventoryInput[]): Inventory {
  const merged = inventorySchema.parse({});
  for (const part of parts) {
    const p = inventorySchema.parse(part);
    for (const list of NAME_LISTS) merged[list] = [...new Set([...merged[list], ...p[list]])];
    Object.assign(merged.aliases, p.aliases);
  }
  return merged;
}
