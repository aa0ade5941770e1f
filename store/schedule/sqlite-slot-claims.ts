import { owning, shared } from '../owned.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../sqlite/database.ts';
import { INSERT_CLAIM, type SlotClaims } from './slot-claims.ts';

/** Opens the slot claims in a SQLite file (the bot's own `bot.db` works) or `:memory:`. */
export function createSqliteSlotClaims(database: SqliteDatabase): SlotClaims {
  const db = database.connection;
  const insert = db.prepare(INSERT_CLAIM({ job: '@job', slot: '@slot', now: '@now' }));
  return {
    async claim(job, slot, now) {
      return insert.run({ job, slot, now }).changes === 1;
    },
    close: shared,
  };
}

/** The same on a SQLite file (or `:memory:`) of its own, migrated like the store's; for tests and tools. */
export function openSqliteSlotClaims(path: string): SlotClaims {
  const database = openSqliteDatabase({ path });
  return owning(createSqliteSlotClaims(database), database);
}
