import { sql } from 'kysely';
import { shared } from '../owned.ts';
import { raw, type SqlEngine } from '../sql/executor.ts';
import type { SlotClaims } from './slot-claims.ts';

/** The slot claims, once for both engines: a row that can be inserted once, by one statement. */
export function createSlotClaims(engine: SqlEngine): SlotClaims {
  return {
    async claim(job, slot, now) {
      const inserted = await engine.db.run(
        raw(
          engine,
          sql`INSERT INTO scheduled_slots (job, slot, claimed_at) VALUES (${job}, ${slot}, ${now}) ON CONFLICT DO NOTHING`,
        ),
      );
      return inserted === 1;
    },
    close: shared,
  };
}
