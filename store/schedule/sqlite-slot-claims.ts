import { openModuleDatabase } from '../sqlite/module-database.ts';
import { INSERT_CLAIM, type SlotClaims } from './slot-claims.ts';

/** The slot claims in SQLite (`schedule_schema`). Never edit a shipped migration; add one. */
export const SLOT_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE scheduled_slots (
    job        TEXT NOT NULL,
    slot       INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (job, slot)
  );
  `,
];

/** Opens the slot claims in a SQLite file (the bot's own `bot.db` works) or `:memory:`. */
export function openSqliteSlotClaims(path: string): SlotClaims {
  const db = openModuleDatabase(path, { table: 'schedule_schema', migrations: SLOT_MIGRATIONS });
  const insert = db.prepare(INSERT_CLAIM({ job: '@job', slot: '@slot', now: '@now' }));
  return {
    async claim(job, slot, now) {
      return insert.run({ job, slot, now }).changes === 1;
    },
    async close() {
      db.close();
    },
  };
}
