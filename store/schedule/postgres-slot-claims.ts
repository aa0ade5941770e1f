import type pg from 'pg';
import { openMigratedPool, type PostgresOptions } from '../postgres/pool.ts';
import { INSERT_CLAIM, type SlotClaims } from './slot-claims.ts';

/** The same table as the SQLite one, with bigint milliseconds. Never edit a shipped migration. */
export const SLOT_PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE scheduled_slots (
    job        text NOT NULL,
    slot       bigint NOT NULL,
    claimed_at bigint NOT NULL,
    PRIMARY KEY (job, slot)
  );
  `,
];

/** The slot claims on PostgreSQL, shared by every replica; each claim is one statement. */
export async function openPostgresSlotClaims(options: PostgresOptions): Promise<SlotClaims> {
  const pool: pg.Pool = await openMigratedPool(options, {
    table: 'schedule_schema_migrations',
    migrations: SLOT_PG_MIGRATIONS,
  });
  return {
    async claim(job, slot, now) {
      const result = await pool.query(INSERT_CLAIM({ job: '$1', slot: '$2', now: '$3' }), [job, slot, now]);
      return result.rowCount === 1;
    },
    close: () => pool.end(),
  };
}
