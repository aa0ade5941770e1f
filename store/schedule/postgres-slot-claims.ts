import { owning } from '../owned.ts';
import { openMigratedPool, type PostgresOptions } from '../postgres/pool.ts';
import { postgresEngine } from '../postgres/sql-engine.ts';
import type { SlotClaims } from './slot-claims.ts';
import { createSlotClaims } from './slot-claims-store.ts';

/** The slot claims on a PostgreSQL pool of its own, migrated like the store's; for tests and tools. */
export async function openPostgresSlotClaims(options: PostgresOptions): Promise<SlotClaims> {
  const pool = await openMigratedPool(options);
  return owning(createSlotClaims(postgresEngine(pool)), { close: () => pool.end() });
}
