import type pg from 'pg';
import { owning, shared } from '../owned.ts';
import { openMigratedPool, type PostgresOptions } from '../postgres/pool.ts';
import { INSERT_CLAIM, type SlotClaims } from './slot-claims.ts';

/** The slot claims on PostgreSQL, shared by every replica; each claim is one statement. */
export function createPostgresSlotClaims(pool: pg.Pool): SlotClaims {
  return {
    async claim(job, slot, now) {
      const result = await pool.query(INSERT_CLAIM({ job: '$1', slot: '$2', now: '$3' }), [job, slot, now]);
      return result.rowCount === 1;
    },
    close: shared,
  };
}

/** The same on a pool of its own, migrated like the store's; for tests and tools. */
export async function openPostgresSlotClaims(options: PostgresOptions): Promise<SlotClaims> {
  const pool = await openMigratedPool(options);
  return owning(createPostgresSlotClaims(pool), { close: () => pool.end() });
}
