import { z } from 'zod';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { KnownNodes } from '../gpu/known-nodes.ts';
import { type InventoryInput, inventorySchema } from './inventory.ts';

/** What one discovery found, where it looked, and what it could not read (shown by `/inventory`). */
export const discoverySchema = z.object({
  names: inventorySchema,
  sources: z.array(z.string()),
  problems: z.array(z.string()),
});
export type Discovery = z.infer<typeof discoverySchema>;

/** Where names are discovered: the configured backends, whichever exist. */
export interface DiscoverySources {
  logs?: LogsBackend | undefined;
  knownNodes?: KnownNodes | undefined;
  lookbackMs: number;
}

/** The inventory query's columns, by the list they fill. */
const COLUMNS = {
  deployments: 'Deployment',
  modelVersions: 'ModelVersion',
  appRoles: 'AppRoleName',
  operations: 'OperationName',
  teams: 'Team',
} as const;

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200);

/** Reads the names from each source; one that fails is reported and the others still count. */
export async function discoverInventory(from: DiscoverySources): Promise<Discovery> {
  const names: Required<Pick<InventoryInput, keyof typeof COLUMNS | 'nodes'>> = {
    deployments: [],
    modelVersions: [],
    appRoles: [],
    operations: [],
    teams: [],
    nodes: [],
  };
  const sources: string[] = [];
  const problems: string[] = [];
  if (from.logs) {
    const where = from.logs.kind === 'azure' ? 'Log Analytics' : 'local KQL engine';
    try {
      const { result } = await from.logs.run('inventory', { window: from.lookbackMs });
      for (const [list, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
        const at = result.columns.findIndex((c) => c.name === column);
        const seen = new Set<string>();
        for (const row of result.rows) {
          const value = row[at];
          if (typeof value === 'string' && value.trim() !== '') seen.add(value);
        }
        names[list] = [...seen];
      }
      sources.push(where);
    } catch (err) {
      problems.push(`${where}: ${reason(err)}`);
    }
  }
  if (from.knownNodes) {
    try {
      names.nodes = await from.knownNodes();
      sources.push('GPU metrics (nodes reporting DCGM)');
    } catch (err) {
      problems.push(`GPU metrics: ${reason(err)}`);
    }
  }
  return { names: inventorySchema.parse(names), sources, problems };
}
