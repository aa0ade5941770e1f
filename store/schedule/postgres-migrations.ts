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
